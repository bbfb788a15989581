/* errmap.c — HTTP status and API error codes to errno, in one place.
 *
 * 400 -> EINVAL, 401/403 -> EACCES, 404 -> ENOENT, 409 -> EBUSY, 429 and APIG.0308 (API
 * Gateway throttling) -> EAGAIN, 408/504 -> ETIMEDOUT, anything else that is not 2xx -> EIO.
 * Transport failures are mapped in http.c; a 2xx with a body that is not JSON is EIO at the
 * caller. An error code without a status (an entry of a batch action's failed_operation_list)
 * takes the status the API Reference gives it (shared/api/errors.json, Appendix A.2). A create
 * refused because the name is taken is EEXIST, whatever status the API gave it.
 */
#include "src/errmap.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

/* The 4xx codes of Appendix A.2; every other code is a 5xx. Sorted, for bsearch. */
typedef struct {
	const char *code;
	int status;
} CodeStatus;

static const CodeStatus code_status[] = {
	{ "WKS.0000", 400 }, { "WKS.00000038", 401 }, { "WKS.00000039", 401 },
	{ "WKS.00000040", 403 }, { "WKS.00000091", 400 }, { "WKS.0001", 400 },
	{ "WKS.00010000", 400 }, { "WKS.00010013", 400 }, { "WKS.00010024", 403 },
	{ "WKS.00010025", 401 }, { "WKS.00010031", 404 }, { "WKS.00010032", 409 },
	{ "WKS.00010033", 403 }, { "WKS.00010036", 403 }, { "WKS.00010037", 400 },
	{ "WKS.00010040", 400 }, { "WKS.00010041", 400 }, { "WKS.00010100", 409 },
	{ "WKS.00010101", 409 }, { "WKS.00010102", 409 }, { "WKS.00010103", 409 },
	{ "WKS.00010104", 409 }, { "WKS.00010105", 409 }, { "WKS.00010107", 409 },
	{ "WKS.00010108", 409 }, { "WKS.00010115", 412 }, { "WKS.00010116", 412 },
	{ "WKS.00010139", 400 }, { "WKS.0005", 400 }, { "WKS.0006", 400 }, { "WKS.0008", 400 },
	{ "WKS.0009", 400 }, { "WKS.0010", 404 }, { "WKS.0011", 403 }, { "WKS.0012", 403 },
	{ "WKS.0016", 409 }, { "WKS.00170101", 400 }, { "WKS.00170102", 400 },
	{ "WKS.00170103", 400 }, { "WKS.00170107", 404 }, { "WKS.0020", 400 },
	{ "WKS.0035", 400 }, { "WKS.0106", 400 }, { "WKS.0163", 400 }, { "WKS.0164", 400 },
	{ "WKS.0165", 400 }, { "WKS.0300", 400 }, { "WKS.0301", 400 }, { "WKS.0401", 400 },
	{ "WKS.0402", 403 }, { "WKS.0403", 403 }, { "WKS.0404", 400 }, { "WKS.0405", 403 },
	{ "WKS.0406", 400 }, { "WKS.0407", 403 }, { "WKS.0418", 400 }, { "WKS.0426", 400 },
	{ "WKS.0503", 400 }, { "WKS.0505", 400 }, { "WKS.0506", 400 }, { "WKS.0508", 400 },
	{ "WKS.0509", 400 }, { "WKS.0560", 400 }, { "WKS.0563", 400 }, { "WKS.0564", 400 },
	{ "WKS.0565", 400 }, { "WKS.0566", 400 }, { "WKS.0568", 400 }, { "WKS.0569", 400 },
	{ "WKS.0570", 403 }, { "WKS.0631", 400 }, { "WKS.5100", 401 },
};

static int compare_code(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

int errmap_from_status(long status, const char *error_code)
{
	if (status >= 200 && status < 300)
		return 0;
	if (error_code && (g_str_equal(error_code, "APIG.0308") ||
			   g_str_equal(error_code, "APIGW.0308")))
		return -EAGAIN;
	switch (status) {
	case 400:
	case 422:
		return -EINVAL;
	case 401:
	case 403:
		return -EACCES;
	case 404:
		return -ENOENT;
	case 409:
	case 412:
		return -EBUSY;
	case 429:
		return -EAGAIN;
	case 408:
	case 504:
		return -ETIMEDOUT;
	case 413:
		return -EFBIG;
	default:
		return -EIO;
	}
}

int errmap_from_code(const char *error_code)
{
	const CodeStatus *hit = NULL;

	if (error_code)
		hit = bsearch(error_code, code_status, G_N_ELEMENTS(code_status),
			      sizeof(code_status[0]), compare_code);
	return errmap_from_status(hit ? hit->status : 500, error_code);
}

/* The codes of Appendix A.2 that say a create's name is taken; they come with 400 (and 200
 * in a job's sub-job) rather than 409. */
static const char *const exists_codes[] = {
	"WKS.00010139",	/* the desktop name already exists in the domain */
	"WKS.0417",	/* the desktop name is duplicated */
};

int errmap_for_create(int rc, long status, const char *error_code)
{
	if (rc >= 0)
		return rc;
	if (status == 409)
		return -EEXIST;
	for (gsize i = 0; error_code && i < G_N_ELEMENTS(exists_codes); i++)
		if (g_str_equal(error_code, exists_codes[i]))
			return -EEXIST;
	return rc;
}
