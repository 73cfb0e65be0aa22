/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading files from the EFI system partition the app was loaded from. */
#ifndef TWINMON_EFI_FILE_H
#define TWINMON_EFI_FILE_H

#include <efi.h>
#include <stddef.h>

struct efi_file_buf {
	void *data;	/* pool memory, NUL-terminated one byte past size */
	size_t size;
};

/* Open the root of the volume the app was loaded from. */
EFI_STATUS file_open_esp(EFI_HANDLE image, EFI_FILE_HANDLE *root);

/*
 * Read a whole file. path uses '\' or '/' separators, relative to the ESP root.
 * Files larger than max_size are refused (EFI_BAD_BUFFER_SIZE).
 */
EFI_STATUS file_read(EFI_FILE_HANDLE root, const char *path, size_t max_size,
		     struct efi_file_buf *out);
void file_free(struct efi_file_buf *buf);

const char *file_status_str(EFI_STATUS st);

#endif
