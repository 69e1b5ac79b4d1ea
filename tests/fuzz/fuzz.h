/*
 * fuzz.h - helpers shared by the libFuzzer targets: a private scratch folder
 * on tmpfs, whole-file writes, and CHECK() for properties (a failed property
 * aborts, which libFuzzer reports as a crash with the input saved).
 */
#ifndef SALES_FUZZ_H
#define SALES_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: property failed: %s\n",      \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

/* A scratch folder made once per process (tmpfs when there is one), removed
 * at exit. */
static char fuzz_dir[256];

static inline void fuzz_dir_remove(void)
{
	char cmd[300];

	if (fuzz_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", fuzz_dir);
	}
}

static inline const char *fuzz_scratch(void)
{
	if (!fuzz_dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
				   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/sales-fuzz.XXXXXX",
			 base);
		if (!mkdtemp(fuzz_dir)) {
			perror("mkdtemp");
			abort();
		}
		atexit(fuzz_dir_remove);
	}
	return fuzz_dir;
}

/* Replaces path's content with data. */
static inline void fuzz_write(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror(path);
		abort();
	}
	close(fd);
}

#endif
