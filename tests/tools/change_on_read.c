/* SPDX-License-Identifier: MIT
 *
 * change_on_read.c: a test shim (LD_PRELOAD) that changes a file while a
 * program reads it, at a point the test chooses, the way an S3 sync
 * still writing a file would. Before the program's Nth pread() call
 * (counting every pread), one byte of the file is overwritten.
 *
 *   CHANGE_FILE  the file to change
 *   CHANGE_AT    the offset of the byte
 *   CHANGE_BYTE  the new byte's value (decimal)
 *   CHANGE_CALL  N, from 1
 *
 * Or, with CHANGE_RENAME set to another file's path, that file is
 * renamed over CHANGE_FILE when the program first closes a descriptor
 * of CHANGE_FILE (as a sync that writes a new copy and renames it
 * would replace it), CHANGE_CALL unused.
 *
 * Build: cc -shared -fPIC -o change_on_read.so change_on_read.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static ssize_t (*real_pread)(int, void *, size_t, off_t);
static long calls;

static void
change_now(void)
{
    const char *path = getenv("CHANGE_FILE");
    const char *at = getenv("CHANGE_AT"), *byte = getenv("CHANGE_BYTE");
    unsigned char b;
    int fd;

    if (!path || !at || !byte)
        return;
    b = (unsigned char)atoi(byte);
    fd = open(path, O_WRONLY);
    if (fd < 0)
        return;
    if (pwrite(fd, &b, 1, (off_t)atoll(at)) != 1)
        _exit(99);
    close(fd);
}

/* 1 when fd is open on the file to change. */
static int
is_target(int fd)
{
    const char *path = getenv("CHANGE_FILE");
    struct stat a, b;

    return path && fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static ssize_t
shim_pread(int fd, void *buf, size_t n, off_t off)
{
    const char *call = getenv("CHANGE_CALL");

    if (!real_pread)
        real_pread = (ssize_t (*)(int, void *, size_t, off_t))
                     dlsym(RTLD_NEXT, "pread64");
    if (call && is_target(fd) &&
        __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST) == atol(call))
        change_now();
    return real_pread(fd, buf, n, off);
}

int
close(int fd)
{
    static int (*real_close)(int);
    static int renamed;
    const char *from = getenv("CHANGE_RENAME");

    if (!real_close)
        real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
    if (from && !renamed && is_target(fd)) {
        int rc = real_close(fd);
        renamed = 1;
        if (rename(from, getenv("CHANGE_FILE")) != 0)
            _exit(98);
        return rc;
    }
    return real_close(fd);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    return shim_pread(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
    return shim_pread(fd, buf, n, off);
}
