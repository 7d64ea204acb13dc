/* SPDX-License-Identifier: MIT
 *
 * change_on_read.c: a test shim (LD_PRELOAD) that changes a file while a
 * program reads it, at a point the test chooses, the way an S3 sync
 * still writing it would. The file is the one CHANGE_FILE names when the
 * program first touches it; it is followed by its inode from then on.
 *
 *   CHANGE_FILE    the file
 *   CHANGE_AT      before the Nth pread() of the file by a thread other
 *   CHANGE_BYTE    than the main one (a reading thread's; the main
 *   CHANGE_CALL    thread's, and calls on other files, are not counted),
 *                  the byte at offset CHANGE_AT becomes CHANGE_BYTE
 *                  (decimal); N = CHANGE_CALL, from 1
 *   CHANGE_RENAME  a new copy, renamed over CHANGE_FILE when the program
 *                  first closes a descriptor of the file (as a sync that
 *                  writes a new copy and renames it replaces a file)
 *   CHANGE_AWAY    at the program's first read() of the file, the file
 *                  is moved here and CHANGE_FILE becomes a directory
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

static long calls;
static int known;               /* the file's inode is known */
static dev_t dev;
static ino_t ino;

/* The path the file has now. */
static const char *
file_path(void)
{
    const char *away = getenv("CHANGE_AWAY");

    return away && access(away, F_OK) == 0 ? away : getenv("CHANGE_FILE");
}

/* 1 when fd is open on the file. */
static int
is_target(int fd)
{
    const char *path = getenv("CHANGE_FILE");
    struct stat a, b;

    if (!path || fstat(fd, &a) != 0)
        return 0;
    if (!known) {
        if (stat(path, &b) != 0 || a.st_dev != b.st_dev ||
            a.st_ino != b.st_ino)
            return 0;
        known = 1;
        dev = b.st_dev;
        ino = b.st_ino;
    }
    return a.st_dev == dev && a.st_ino == ino;
}

static void
change_now(void)
{
    const char *at = getenv("CHANGE_AT"), *byte = getenv("CHANGE_BYTE");
    unsigned char b;
    int fd;

    if (!at || !byte)
        return;
    b = (unsigned char)atoi(byte);
    fd = open(file_path(), O_WRONLY);
    if (fd < 0)
        _exit(97);
    if (pwrite(fd, &b, 1, (off_t)atoll(at)) != 1)
        _exit(99);
    close(fd);
}

static ssize_t
shim_pread(int fd, void *buf, size_t n, off_t off)
{
    static ssize_t (*real_pread)(int, void *, size_t, off_t);
    const char *call = getenv("CHANGE_CALL");

    if (!real_pread)
        real_pread = (ssize_t (*)(int, void *, size_t, off_t))
                     dlsym(RTLD_NEXT, "pread64");
    if (call && gettid() != getpid() && is_target(fd) &&
        __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST) == atol(call))
        change_now();
    return real_pread(fd, buf, n, off);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    return shim_pread(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
    return shim_pread(fd, buf, n, off);
}

ssize_t
read(int fd, void *buf, size_t n)
{
    static ssize_t (*real_read)(int, void *, size_t);
    static int moved;
    const char *away = getenv("CHANGE_AWAY");

    if (!real_read)
        real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT,
                                                             "read");
    if (away && !moved && is_target(fd)) {
        moved = 1;
        if (rename(getenv("CHANGE_FILE"), away) != 0 ||
            mkdir(getenv("CHANGE_FILE"), 0700) != 0)
            _exit(96);
    }
    return real_read(fd, buf, n);
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
