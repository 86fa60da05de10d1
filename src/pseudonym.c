/*
 * pseudonym.c: keyed pseudonyms of personal data.  hmac_sha256(key, message)
 * is HMAC-SHA-256 (RFC 2104) by PostgreSQL's own implementation; a
 * pseudonym made with a secret key cannot be recomputed from the phone
 * number and address it stands for by whoever lacks the key, unlike a plain
 * hash.  new_pseudonym_key() draws a key from the server's strong random
 * source.  The key itself is kept in appraisal.pseudonym_key, which only
 * the extension's owner reads (src/sql/36_provider_events.sql).
 */
#include "appraisal.h"

#include "common/hmac.h"
#include "common/sha2.h"

PG_FUNCTION_INFO_V1(hmac_sha256);
PG_FUNCTION_INFO_V1(new_pseudonym_key);

#define PSEUDONYM_KEY_BYTES 32

Datum
hmac_sha256(PG_FUNCTION_ARGS)
{
	bytea	   *key = PG_GETARG_BYTEA_PP(0);
	text	   *message = PG_GETARG_TEXT_PP(1);
	bytea	   *result = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	pg_hmac_ctx *ctx = pg_hmac_create(PG_SHA256);

	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	if (pg_hmac_init(ctx, (const uint8 *) VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key)) < 0 ||
		pg_hmac_update(ctx, (const uint8 *) VARDATA_ANY(message), VARSIZE_ANY_EXHDR(message)) < 0 ||
		pg_hmac_final(ctx, (uint8 *) VARDATA(result), PG_SHA256_DIGEST_LENGTH) < 0)
	{
		const char *why = pg_hmac_error(ctx);

		pg_hmac_free(ctx);
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute HMAC-SHA-256: %s", why)));
	}
	pg_hmac_free(ctx);
	SET_VARSIZE(result, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	PG_RETURN_BYTEA_P(result);
}

Datum
new_pseudonym_key(PG_FUNCTION_ARGS)
{
	bytea	   *key = palloc(VARHDRSZ + PSEUDONYM_KEY_BYTES);

	(void) fcinfo;
	if (!pg_strong_random(VARDATA(key), PSEUDONYM_KEY_BYTES))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random pseudonym key")));
	SET_VARSIZE(key, VARHDRSZ + PSEUDONYM_KEY_BYTES);
	PG_RETURN_BYTEA_P(key);
}
