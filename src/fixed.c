/*
 * fixed.c: decimal fixed point for exact sums of scores.
 *
 * A score is held as an integer number of 10^-18 points in 128 bits.  On the
 * way in, the double is rounded to 15 significant decimal digits (DBL_DIG):
 * every decimal of up to 15 digits survives the trip through a double, so
 * this recovers exactly the decimal the user wrote: 89.7 is held as 89.7,
 * not as the binary 89.70000000000000284.  A double that is no such decimal
 * (a computed 100/3) is kept to 17 digits, which reads back as the same
 * double (from 0.01 up; smaller values get the 18 decimals there are).  The rounding is exact integer arithmetic on the double's mantissa
 * and exponent.  Sums are then plain
 * integer additions: exact, associative and order-independent, so a
 * parallel plan, a serial plan and a rollup of stored summaries agree to the
 * last digit, and a mean that is 90 in decimal is exactly 90.
 */
#include "appraisal.h"

#include <math.h>

#define SCALE ((uint128) 1000000000000000000ULL)	/* 10^FIXED_DIGITS */
#define SIGNIFICANT 15			/* DBL_DIG */

static const uint64 pow10_u64[] = {
	UINT64CONST(1), UINT64CONST(10), UINT64CONST(100), UINT64CONST(1000),
	UINT64CONST(10000), UINT64CONST(100000), UINT64CONST(1000000),
	UINT64CONST(10000000), UINT64CONST(100000000), UINT64CONST(1000000000),
	UINT64CONST(10000000000), UINT64CONST(100000000000),
	UINT64CONST(1000000000000), UINT64CONST(10000000000000),
	UINT64CONST(100000000000000), UINT64CONST(1000000000000000),
	UINT64CONST(10000000000000000), UINT64CONST(100000000000000000),
	UINT64CONST(1000000000000000000)
};

/*
 * Decimal places that leave 15 significant digits: a value in
 * [10^(d-1), 10^d) keeps 15 - d of them, at most FIXED_DIGITS.  (The
 * literals 1e-1 .. 1e-3 round up, so no double below 10^-j compares >= it.)
 */
static inline int
decimals_for(double value)
{
	static const double lower[] = {	/* 10^(d-1) for d = 15 .. -2 */
		1e14, 1e13, 1e12, 1e11, 1e10, 1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3,
		1e2, 1e1, 1, 1e-1, 1e-2, 1e-3
	};

	if (value >= 10 && value < 100)
		return SIGNIFICANT - 2; /* most scores */
	for (int i = 0; i < (int) lengthof(lower); i++)
		if (value >= lower[i])
			return i;			/* d = 15 - i, so k = 15 - d = i */
	return FIXED_DIGITS;
}

/*
 * n = round(mantissa * 10^k * 2^-shift), half to even (mantissa * 10^k <
 * 2^113), and *dist = |n * 2^shift - mantissa * 10^k|: how far the decimal
 * n / 10^k lies from the double, in units of 10^-k * 2^-shift.
 */
static inline uint128
scaled_round(uint64 mantissa, int shift, int k, uint128 *dist)
{
	uint128		product = (uint128) mantissa * pow10_u64[k];
	uint128		one = (uint128) 1 << shift;
	uint128		quotient = product >> shift;
	uint128		remainder = product & (one - 1);
	uint128		half = one >> 1;

	if (remainder > half || (remainder == half && (quotient & 1)))
	{
		*dist = one - remainder;
		return quotient + 1;
	}
	*dist = remainder;
	return quotient;
}

int128
fixed_from_double(double value)
{
	uint64		bits;
	uint64		mantissa;
	int			exponent;
	int			k;
	uint128		n;
	uint128		dist;

	Assert(isfinite(value) && value >= 0);
	if (value >= 1e15)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %s is too large to sum exactly", double_str(value))));
	/* whole numbers, the commonest scores, need no rounding */
	if (value == (double) (int64) value)
		return (int128) (int64) value * (int128) pow10_u64[FIXED_DIGITS];

	/* value = mantissa * 2^exponent, and exponent < 0 below 1e15 */
	memcpy(&bits, &value, sizeof(bits));
	exponent = (int) ((bits >> 52) & 0x7FF);
	mantissa = bits & ((UINT64CONST(1) << 52) - 1);
	if (exponent == 0)
		exponent = -1074;		/* subnormal */
	else
	{
		mantissa |= UINT64CONST(1) << 52;
		exponent -= 1075;
	}
	if (-exponent >= 120)
		return 0;				/* far below 10^-18 */

	k = decimals_for(value);
	n = scaled_round(mantissa, -exponent, k, &dist);

	/*
	 * Is that 15-digit decimal the one the double stands for?  It is when it
	 * lies within half a unit in the last place of the double: 2 * dist <
	 * 10^k.  If not (the value was computed, like 100/3, not written), keep
	 * 17 digits instead: enough to read back as the very same double.  At a
	 * power of two the gap below is half as wide, and a decimal exactly
	 * half-way rounds to even, so those rare cases ask a correctly rounded
	 * division instead.
	 */
	if (k < FIXED_DIGITS &&
		(2 * dist > pow10_u64[k] ||
		 ((2 * dist == pow10_u64[k] || mantissa == UINT64CONST(1) << 52) &&
		  (double) (uint64) n / (double) pow10_u64[k] != value)))
	{
		k = Min(k + 2, FIXED_DIGITS);
		n = scaled_round(mantissa, -exponent, k, &dist);
	}
	return (int128) (n * pow10_u64[FIXED_DIGITS - k]);
}

long double
fixed_to_ldouble(int128 value)
{
	/* 10^18 is exact in a long double; one rounding in the conversion */
	return (long double) value / 1e18L;
}

void
fixed_append(StringInfo buf, int128 value)
{
	char		digits[48];
	int			n = 0;
	uint128		mag;
	uint128		whole;
	uint64		frac;

	if (value < 0)
	{
		appendStringInfoChar(buf, '-');
		mag = (uint128) (-(value + 1)) + 1;
	}
	else
		mag = (uint128) value;

	whole = mag / SCALE;
	frac = (uint64) (mag % SCALE);
	do
	{
		digits[n++] = '0' + (int) (whole % 10);
		whole /= 10;
	} while (whole > 0);
	while (n > 0)
		appendStringInfoChar(buf, digits[--n]);

	if (frac != 0)
	{
		int			len = FIXED_DIGITS;

		for (int i = FIXED_DIGITS - 1; i >= 0; i--)
		{
			digits[i] = '0' + (int) (frac % 10);
			frac /= 10;
		}
		while (digits[len - 1] == '0')
			len--;
		appendStringInfoChar(buf, '.');
		appendBinaryStringInfo(buf, digits, len);
	}
}

const char *
fixed_parse(const char *s, int128 *result)
{
	const uint128 limit = FIXED_WHOLE_LIMIT;
	uint128		whole = 0;
	uint128		frac = 0;
	int			nfrac = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
	{
		whole = whole * 10 + (*p++ - '0');
		if (whole >= limit)
			return NULL;		/* far too large for a sum */
	}
	if (*p == '.')
	{
		p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
		{
			if (++nfrac > FIXED_DIGITS)
				return NULL;
			frac = frac * 10 + (*p++ - '0');
		}
		for (int i = nfrac; i < FIXED_DIGITS; i++)
			frac *= 10;
	}
	*result = (int128) (whole * SCALE + frac);
	return p;
}
