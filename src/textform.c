/*
 * textform.c: the lexing shared by the text forms of configuration values
 * whose parts are labels and numbers (grade scales, item scales): white
 * space, numbers scanned by hand, bare or double-quoted labels, and syntax
 * errors that quote the offending part.
 */
#include "appraisal.h"

#include <math.h>

#include "mb/pg_wchar.h"

void
form_syntax_error(const TextForm *form, const char *at, const char *expected)
{
	int			len = 0;

	if (*at == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s: expected %s at the end", form->what, expected)));
	/* quote up to the next separator, or the separator and the part after it */
	while (at[len] != '\0' && (len == 0 || at[len] != form->separator))
		len++;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s: expected %s at \"%.*s\"",
					form->what, expected, pg_mbcliplen(at, len, 40), at)));
	pg_unreachable();
}

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

const char *
form_skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
form_number_len(const char *p)
{
	int			n = (p[0] == '-');
	int			digits = 0;

	while (is_digit(p[n]))
	{
		n++;
		digits++;
	}
	if (p[n] == '.' && is_digit(p[n + 1]))
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

const char *
form_number(const TextForm *form, const char *p, double *result)
{
	int			len = form_number_len(p);
	char	   *copy;

	if (len == 0)
		form_syntax_error(form, p, "a number");
	copy = pnstrdup(p, len);
	*result = strtod(copy, NULL);
	if (isinf(*result))
		form_syntax_error(form, p, "a finite number");
	pfree(copy);
	return p + len;
}

/* Characters that end a bare label (and make output quote one). */
static inline bool
is_label_stop(const TextForm *form, char c)
{
	return c == '\0' || is_space(c) || c == '"' ||
		strchr(form->label_stops, c) != NULL;
}

const char *
form_label(const TextForm *form, const char *p, char **label)
{
	StringInfoData buf;

	if (*p != '"')
	{
		int			len = 0;

		while (!is_label_stop(form, p[len]))
			len++;
		if (len == 0)
			form_syntax_error(form, p, "a band label");
		*label = pnstrdup(p, len);
		return p + len;
	}

	initStringInfo(&buf);
	for (const char *q = p + 1;; q++)
	{
		if (*q == '\0')
			form_syntax_error(form, p, "a closing quote after the label");
		if (*q == '"')
		{
			if (q[1] != '"')
			{
				*label = buf.data;
				return q + 1;
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
