/*
 * textform.c: reading the text forms of the extension's types (ratings,
 * weight schemes, grade and item scales, the weighted, SLA, FCR and CSAT
 * summaries, business calendars): one rule for white space, one grammar
 * for each kind of number, words, fields name=value, bare or double-quoted
 * labels, and the one error for malformed text, which quotes the offending
 * part.  See "text forms" in appraisal.h.
 */
#include "appraisal.h"

#include <math.h>

#include "mb/pg_wchar.h"

void
form_start(FormInput *in, const TextForm *form, const char *text)
{
	in->form = form;
	in->text = text;
	in->p = text;
}

/* Whether c ends the part of the text quoted in an error. */
static inline bool
is_part_end(const TextForm *form, char c)
{
	return c == '\0' || strchr(form->part_ends, form_is_space(c) ? ' ' : c) != NULL;
}

void
form_error(const FormInput *in, const char *at, int sqlerrcode, const char *expected)
{
	const TextForm *form = in->form;
	bool		syntax = sqlerrcode == ERRCODE_INVALID_TEXT_REPRESENTATION;
	int			len = 0;

	/* the character at the place, and the part it begins */
	if (*at != '\0')
		do
			len++;
		while (!is_part_end(form, at[len]));
	ereport(ERROR,
			(errcode(sqlerrcode),
			 syntax ?
			 errmsg("invalid input syntax for type appraisal.%s: \"%s\"", form->type, in->text) :
			 errmsg("invalid input value for type appraisal.%s: \"%s\"", form->type, in->text),
			 *at == '\0' ?
			 errdetail("Expected %s at the end.", expected) :
			 errdetail("Expected %s at \"%.*s\".", expected, pg_mbcliplen(at, len, 40), at),
			 syntax ? errhint("The text form reads like '%s'.", form->example) : 0));
	pg_unreachable();
}

const char *
form_skip(FormInput *in)
{
	while (form_is_space(*in->p))
		in->p++;
	return in->p;
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool
form_accept(FormInput *in, const char *token)
{
	const char *p = form_skip(in);
	int			len = strlen(token);

	if ((in->form->any_case ? pg_strncasecmp(p, token, len) : strncmp(p, token, len)) != 0)
		return false;
	/* a word is not the start of a longer word */
	if (is_word_char(token[len - 1]) && is_word_char(p[len]))
		return false;
	in->p += len;
	return true;
}

void
form_expect(FormInput *in, const char *token, const char *expected)
{
	if (!form_accept(in, token))
		form_syntax_error(in, in->p, expected ? expected : psprintf("\"%s\"", token));
}

void
form_end(FormInput *in, const char *expected)
{
	if (*form_skip(in) != '\0')
		form_syntax_error(in, in->p, expected);
}

/* ------------------------------------------------------------ numbers */

int
form_number_len(const char *p)
{
	int			n = (p[0] == '-' || p[0] == '+');
	int			digits = 0;

	while (is_digit(p[n]))
	{
		n++;
		digits++;
	}
	/* a point, unless it begins ".." (a range) */
	if (p[n] == '.' && p[n + 1] != '.')
	{
		n++;
		while (is_digit(p[n]))
		{
			n++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (p[n] == 'e' || p[n] == 'E')
	{
		int			e = n + 1;

		if (p[e] == '+' || p[e] == '-')
			e++;
		if (is_digit(p[e]))
		{
			while (is_digit(p[e]))
				e++;
			n = e;
		}
	}
	return n;
}

/* What was expected, for messages: what, or what after the field "name=". */
static const char *
expectation(const char *what, const char *field)
{
	return field ? psprintf("%s after \"%s=\"", what, field) : what;
}

/* NaN and infinities, where a number may stand, are numbers not finite. */
static void
refuse_not_finite(const FormInput *in, const char *at)
{
	static const char *const words[] = {"infinity", "inf", "nan"};
	const char *p = at + (*at == '-' || *at == '+');

	for (int i = 0; i < (int) lengthof(words); i++)
	{
		int			len = strlen(words[i]);

		if (pg_strncasecmp(p, words[i], len) == 0 && !is_word_char(p[len]))
			form_error(in, at, words[i][0] == 'n' ? ERRCODE_INVALID_PARAMETER_VALUE :
					   ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "a finite number");
	}
}

bool
form_accept_number(FormInput *in, double *value)
{
	const char *at = form_skip(in);
	int			len = form_number_len(at);
	char	   *copy;

	if (len == 0)
	{
		refuse_not_finite(in, at);
		return false;
	}
	copy = pnstrdup(at, len);
	errno = 0;
	*value = strtod(copy, NULL);
	/* as float8in: overflow, and underflow to zero, are out of range */
	if (errno == ERANGE && (*value == 0 || isinf(*value)))
		form_error(in, at, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
				   "a number within the range of double precision");
	pfree(copy);
	in->p += len;
	return true;
}

static double
read_number(FormInput *in, const char *what, const char *field)
{
	double		value;

	if (!form_accept_number(in, &value))
		form_syntax_error(in, in->p, expectation(what, field));
	return value;
}

double
form_number(FormInput *in, const char *expected)
{
	return read_number(in, expected, NULL);
}

static int64
read_integer(FormInput *in, const char *what, const char *field)
{
	const char *at = form_skip(in);
	int			len = form_number_len(at);
	int			sign = (*at == '-' || *at == '+');
	char	   *copy;
	int64		value;

	/* the whole number token, so that "1.5" is quoted, not ".5" */
	if (len == 0 || (int) strspn(at + sign, "0123456789") != len - sign)
		form_syntax_error(in, at, expectation(what, field));
	copy = pnstrdup(at, len);
	errno = 0;
	value = strtoi64(copy, NULL, 10);
	if (errno == ERANGE)
		form_error(in, at, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
				   "a number within the range of bigint");
	pfree(copy);
	in->p += len;
	return value;
}

int64
form_integer(FormInput *in, const char *expected)
{
	return read_integer(in, expected, NULL);
}

/* ------------------------------------------------------------- fields */

static void
read_field_name(FormInput *in, const char *name)
{
	const char *at = form_skip(in);

	if (!form_accept(in, name) || !form_accept(in, "="))
		form_syntax_error(in, at, psprintf("\"%s=\"", name));
}

int64
form_count_field(FormInput *in, const char *name)
{
	read_field_name(in, name);
	return read_integer(in, "a count", name);
}

double
form_number_field(FormInput *in, const char *name)
{
	read_field_name(in, name);
	return read_number(in, "a number", name);
}

int128
form_decimal_field(FormInput *in, const char *name)
{
	const char *at;
	const char *end;
	int128		value;

	read_field_name(in, name);
	at = form_skip(in);
	end = fixed_parse(at, &value);
	if (end == NULL)
	{
		int			whole = strspn(at, "0123456789");
		int			decimals = at[whole] == '.' ? (int) strspn(at + whole + 1, "0123456789") : -1;

		/* refused for its size alone */
		if (whole > 0 && decimals != 0 && decimals <= FIXED_DIGITS)
			form_error(in, at, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
					   "a number below 10^20");
		form_syntax_error(in, at,
						  expectation(psprintf("a decimal number with at most %d decimals",
											   FIXED_DIGITS), name));
	}
	in->p = end;
	return value;
}

/* -------------------------------------------------------------- words */

int
form_role(FormInput *in)
{
	const char *word = form_skip(in);
	int			len = 0;
	int			role;

	while (is_word_char(word[len]))
		len++;
	role = role_from_label(word, len);
	if (role < 0)
		form_syntax_error(in, word,
						  "a rater role (superior, peer, subordinate, self or customer)");
	in->p += len;
	return role;
}

/* Characters that end a bare label (and make output quote one). */
static inline bool
is_label_stop(const TextForm *form, char c)
{
	return c == '\0' || form_is_space(c) || c == '"' ||
		strchr(form->label_stops, c) != NULL;
}

char *
form_label(FormInput *in)
{
	const char *p = form_skip(in);
	StringInfoData buf;

	if (*p != '"')
	{
		int			len = 0;

		while (!is_label_stop(in->form, p[len]))
			len++;
		if (len == 0)
			form_syntax_error(in, p, "a band label");
		in->p += len;
		return pnstrdup(p, len);
	}

	initStringInfo(&buf);
	for (const char *q = p + 1;; q++)
	{
		if (*q == '\0')
			form_syntax_error(in, p, "a closing quote after the label");
		if (*q == '"')
		{
			if (q[1] != '"')
			{
				in->p = q + 1;
				return buf.data;
			}
			q++;				/* "" is a quote */
		}
		appendStringInfoChar(&buf, *q);
	}
}

void
form_append_label(const TextForm *form, StringInfo buf, const char *label)
{
	bool		quote = false;

	for (const char *c = label; *c; c++)
		if (is_label_stop(form, *c))
			quote = true;
	if (!quote)
	{
		appendStringInfoString(buf, label);
		return;
	}
	appendStringInfoChar(buf, '"');
	for (const char *c = label; *c; c++)
	{
		if (*c == '"')
			appendStringInfoChar(buf, '"');
		appendStringInfoChar(buf, *c);
	}
	appendStringInfoChar(buf, '"');
}
