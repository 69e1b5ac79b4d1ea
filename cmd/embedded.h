/* embedded.h - the templates/ and examples/ sheets, built into the binary
 * (templates/embed.sh) so that `sales init` works wherever sales is. */
#ifndef SALES_EMBEDDED_H
#define SALES_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *set;    /* "templates" or "examples" */
	const char *name;   /* "01-leads.csv" */
	const unsigned char *data;
	size_t len;
};

/* Terminated by an entry whose name is NULL. */
extern const struct embedded_file embedded_files[];

#endif
