/*
 * measure.c - runs a command as a whole process and reports its wall time
 * and peak resident memory (getrusage of the child), so the bench needs no
 * /usr/bin/time.
 *
 *   measure OUTFILE ERRFILE COMMAND [ARG...]
 *
 * The command's stdout goes to OUTFILE and its stderr to ERRFILE
 * (/dev/null for either is fine).  Prints "SECONDS MAXRSS_KB STATUS
 * CPU_SECONDS OTHER_CPUS": CPU_SECONDS is the user + system time of the
 * child (on a busy machine it says what the command cost while the wall
 * time says how long it took); OTHER_CPUS is how many cores, on average
 * over the run, the rest of the machine kept busy (from /proc/stat, the
 * machine's busy time less the child's): near 0 on a quiet machine.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The machine's busy time so far in seconds (all CPUs), or -1. */
static double machine_busy(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	/* cpu user nice system idle iowait irq softirq steal */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4)
		return -1;
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) /
	       (double)sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
	double busy0, busy1, wall, cpu, other = 0;
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: measure OUTFILE ERRFILE COMMAND [ARG...]\n");
		return 2;
	}
	busy0 = machine_busy();
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
	busy1 = machine_busy();
	wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (busy0 >= 0 && busy1 >= 0 && wall > 0)
		other = (busy1 - busy0 - cpu) / wall;
	if (other < 0)
		other = 0;
	printf("%.4f %ld %d %.4f %.2f\n", wall, ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       cpu, other);
	return 0;
}
