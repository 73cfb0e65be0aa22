# SPDX-License-Identifier: GPL-2.0-only
# man/: the manual pages, written in scdoc(5) and built into roff with the release version.
# Each page is checked with groff's warnings on as it is built: a warning fails the build.
MAN_PAGES := twinmon.8 twinmon.conf.5 twinmon-check.1 twinmon-install.8 twinmon-load.1
MAN_OUTS  := $(addprefix $(BUILD)/man/,$(MAN_PAGES))

.PHONY: man
man: $(MAN_OUTS)

$(BUILD)/man/%: man/%.scd VERSION
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(VERSION)/g' $< | scdoc > $@.tmp
	@w=$$(groff -man -ww -z $@.tmp 2>&1); if [ -n "$$w" ]; then echo "$$w" >&2; exit 1; fi
	mv $@.tmp $@
