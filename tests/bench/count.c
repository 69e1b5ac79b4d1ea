/*
 * count.c - the floor: a bare libcsv pass that only counts records and
 * fields of the files given, reading each in 1 MiB blocks.  Whatever `sales`
 * does on top of parsing (schema, UTF-8 checks, fill-down, rules) is
 * measured against this.
 *
 *   count FILE...      prints "records fields bytes"
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long long nfields, nrecords;

static void on_field(void *s, size_t len, void *ud)
{
	(void)s;
	(void)len;
	(void)ud;
	nfields++;
}

static void on_record(int c, void *ud)
{
	(void)c;
	(void)ud;
	nrecords++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long bytes = 0;

	for (int i = 1; i < argc; i++) {
		struct csv_parser p;
		int fd = open(argv[i], O_RDONLY);
		ssize_t n;

		if (fd < 0 || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
			perror(argv[i]);
			return 2;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			if (csv_parse(&p, buf, (size_t)n, on_field, on_record,
				      NULL) != (size_t)n) {
				fprintf(stderr, "%s: %s\n", argv[i],
					csv_strerror(csv_error(&p)));
				return 1;
			}
			bytes += (unsigned long long)n;
		}
		csv_fini(&p, on_field, on_record, NULL);
		csv_free(&p);
		close(fd);
	}
	printf("%llu %llu %llu\n", nrecords, nfields, bytes);
	return 0;
}
