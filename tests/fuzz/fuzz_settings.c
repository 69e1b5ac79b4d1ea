/*
 * fuzz_settings.c - the sales.conf parser and serialiser on arbitrary text.
 *
 * Properties: a file that parses serialises back to exactly its bytes; after
 * setting one key (a value with quotes, comment characters, escapes) and
 * serialising, the text parses again, the key reads back, and every other
 * key keeps its value; after unsetting it, the same.
 */
#include "fuzz.h"

#include "settings.h"

struct kv {
	char **key, **value;
	size_t n, cap;
};

static int collect(const char *key, const char *value, void *ud)
{
	struct kv *kv = ud;

	for (size_t i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key))
			return 0;
	if (kv->n == kv->cap) {
		kv->cap = kv->cap ? kv->cap * 2 : 64;
		kv->key = realloc(kv->key, kv->cap * sizeof(char *));
		kv->value = realloc(kv->value, kv->cap * sizeof(char *));
		CHECK(kv->key && kv->value);
	}
	kv->key[kv->n] = strdup(key);
	kv->value[kv->n] = strdup(value);
	kv->n++;
	return 0;
}

static void kv_free(struct kv *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		free(kv->key[i]);
		free(kv->value[i]);
	}
	free(kv->key);
	free(kv->value);
}

/* Every key of before, except skip, has the same last value in after. */
static void same_except(const struct sales_settings *before,
			const struct sales_settings *after, const char *skip)
{
	struct kv kv = { 0 };

	sales_settings_each(before, NULL, collect, &kv);
	for (size_t i = 0; i < kv.n; i++) {
		const char *a = sales_settings_get(before, kv.key[i]);
		const char *b = sales_settings_get(after, kv.key[i]);

		if (skip && !strcmp(kv.key[i], skip))
			continue;
		CHECK(a && b && !strcmp(a, b));
	}
	kv_free(&kv);
}

static struct sales_settings *reparse(const struct sales_settings *s)
{
	struct sales_settings *s2;
	struct sales_error err;
	char *buf;
	size_t len;

	CHECK(sales_settings_serialize(s, &buf, &len, &err) == 0);
	CHECK(strlen(buf) <= len && buf[len] == '\0');
	if (sales_settings_parse("re.conf", buf, len, &s2, &err) != 0) {
		fprintf(stderr, "reparse failed: line %ld: %s\n--\n%s\n--\n",
			err.line, err.message, buf);
		abort();
	}
	free(buf);
	return s2;
}

static const char *const values[] = {
	"42", "", " spaced ", "a \"quoted\" ; # value", "back\\slash",
	"制造业,物流", "tab\there", "line\nbreak", "trailing\\", "＝",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sales_settings *s, *s2;
	struct sales_error err;
	struct kv kv = { 0 };
	char *buf, key[300];
	size_t len;
	unsigned h = size ? data[0] + 31u * data[size - 1] : 7;
	const char *value = values[h % (sizeof(values) / sizeof(values[0]))];

	if (sales_settings_parse("fuzz.conf", (const char *)data, size, &s,
				 &err) != 0) {
		CHECK(s == NULL && err.line >= 0 && err.message[0]);
		return 0;
	}
	CHECK(sales_settings_serialize(s, &buf, &len, &err) == 0);
	CHECK(len == size && !memcmp(buf, data, size));
	free(buf);

	/* pick a key: one the file has, a built-in one, or a new one */
	sales_settings_each(s, NULL, collect, &kv);
	switch (h % 4) {
	case 0:
		snprintf(key, sizeof(key), "%s", kv.key[(h / 4) % kv.n]);
		break;
	case 1:
		snprintf(key, sizeof(key), "score.industry.化工");
		break;
	case 2:
		snprintf(key, sizeof(key), "fuzz.new.key");
		break;
	default:
		snprintf(key, sizeof(key), "%s", kv.key[kv.n - 1]);
		break;
	}
	kv_free(&kv);

	if (sales_settings_set(s, key, value, &err) == 0) {
		CHECK(!strcmp(sales_settings_get(s, key), value));
		s2 = reparse(s);
		CHECK(sales_settings_get(s2, key) &&
		      !strcmp(sales_settings_get(s2, key), value));
		same_except(s, s2, key);
		sales_settings_free(s2);
	}
	if (sales_settings_unset(s, key) >= 0) {
		s2 = reparse(s);
		same_except(s, s2, NULL);
		same_except(s2, s, NULL);
		sales_settings_free(s2);
	}
	sales_settings_free(s);
	return 0;
}
