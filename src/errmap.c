/* errmap.c — HTTP status and API error codes to errno, in one place.
 *
 * 400 -> EINVAL, 401/403 -> EACCES, 404 -> ENOENT, 409 -> EBUSY, 429 and APIG.0308 (API
 * Gateway throttling) -> EAGAIN, 408/504 -> ETIMEDOUT, anything else that is not 2xx -> EIO.
 * Transport failures are mapped in http.c; a 2xx with a body that is not JSON is EIO at the
 * caller.
 */
#include "src/errmap.h"

#include <errno.h>
#include <glib.h>

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
