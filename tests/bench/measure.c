/*
 * measure.c - runs a command as a whole process and reports its wall time
 * and peak resident memory (getrusage of the child), so the bench needs no
 * /usr/bin/time.
 *
 *   measure OUTFILE ERRFILE COMMAND [ARG...]
 *
 * The command's stdout goes to OUTFILE and its stderr to ERRFILE
 * (/dev/null for either is fine).  Prints "SECONDS MAXRSS_KB STATUS
 * CPU_SECONDS" (user + system time of the child: on a busy machine it says
 * what the command cost while the wall time says how long it took).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: measure OUTFILE ERRFILE COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.4f %ld %d %.4f\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return 0;
}
