# SPDX-License-Identifier: GPL-2.0-only
# package/: the Debian package (make deb; scripts/mkdeb builds it, docs/install.md says what is
# in it). Its version is VERSION, the release, and DEB_REVISION, the packaging's revision; the
# newest entry of package/changelog must be that version.
DEB_REVISION := 1
DEB_VERSION  := $(VERSION)-$(DEB_REVISION)
DEB          := $(BUILD)/twinmon_$(DEB_VERSION)_amd64.deb

# Like check and demo, first the Debian packages the build needs (scripts/setup).
.PHONY: deb
deb: setup
	@$(MAKE) --no-print-directory $(DEB)
$(DEB): $(BUILD)/twinmon.efi $(BUILD)/bin/twinmon-check $(BUILD)/bin/twinmon-load \
	tools/twinmon-install tools/twinmon-install-lib.sh $(MAN_OUTS) $(wildcard package/*) scripts/mkdeb VERSION
	scripts/mkdeb $(BUILD) $(DEB_VERSION) $@
