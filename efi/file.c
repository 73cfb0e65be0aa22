// SPDX-License-Identifier: GPL-2.0-only
#include "efi/file.h"

#include <efilib.h>

#define FILE_PATH_MAX 256

EFI_STATUS file_open_esp(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_GUID loaded_image_guid = LOADED_IMAGE_PROTOCOL;
	EFI_GUID fs_guid = SIMPLE_FILE_SYSTEM_PROTOCOL;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_FILE_IO_INTERFACE *fs = NULL;
	EFI_STATUS st;

	st = BS->HandleProtocol(image, &loaded_image_guid, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	st = BS->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(st))
		return st;
	return fs->OpenVolume(fs, root);
}

EFI_STATUS file_read(EFI_FILE_HANDLE root, const char *path, size_t max_size,
		     struct efi_file_buf *out)
{
	CHAR16 wpath[FILE_PATH_MAX];
	EFI_FILE_HANDLE fh = NULL;
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS st;
	size_t n = 0;

	out->data = NULL;
	out->size = 0;
	for (; path[n]; n++) {
		if (n + 1 >= FILE_PATH_MAX)
			return EFI_INVALID_PARAMETER;
		wpath[n] = path[n] == '/' ? L'\\' : (CHAR16)(unsigned char)path[n];
	}
	wpath[n] = 0;

	st = root->Open(root, &fh, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;

	info = LibFileInfo(fh);
	if (!info) {
		st = EFI_DEVICE_ERROR;
		goto out_close;
	}
	if (info->FileSize > max_size) {
		st = EFI_BAD_BUFFER_SIZE;
		goto out_info;
	}
	UINTN size = info->FileSize;
	out->data = AllocatePool(size + 1);
	if (!out->data) {
		st = EFI_OUT_OF_RESOURCES;
		goto out_info;
	}
	st = fh->Read(fh, &size, out->data);
	if (EFI_ERROR(st) || size != info->FileSize) {
		if (!EFI_ERROR(st))
			st = EFI_END_OF_FILE;
		FreePool(out->data);
		out->data = NULL;
		goto out_info;
	}
	((char *)out->data)[size] = '\0';
	out->size = size;
out_info:
	FreePool(info);
out_close:
	fh->Close(fh);
	return st;
}

void file_free(struct efi_file_buf *buf)
{
	if (buf->data)
		FreePool(buf->data);
	buf->data = NULL;
	buf->size = 0;
}

const char *file_status_str(EFI_STATUS st)
{
	switch (st) {
	case EFI_SUCCESS: return "success";
	case EFI_NOT_FOUND: return "not found";
	case EFI_BAD_BUFFER_SIZE: return "too large";
	case EFI_OUT_OF_RESOURCES: return "out of memory";
	case EFI_INVALID_PARAMETER: return "invalid path";
	case EFI_DEVICE_ERROR: return "device error";
	case EFI_END_OF_FILE: return "short read";
	case EFI_ACCESS_DENIED: return "access denied";
	case EFI_VOLUME_CORRUPTED: return "volume corrupted";
	default: return "error";
	}
}
