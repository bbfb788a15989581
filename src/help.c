/* help.c — the text of `wksfs --help`.
 *
 * Owns: the option list an admin reads in the terminal: wksfs's options and the few of
 * libfuse's that matter here, each once (libfuse's own help lists module options that do
 * not apply, and -h and -V a second time). Must not: parse anything; main.c does, and
 * doc/wksfs.1 documents the same options (tests/check-manpage.py holds the two lists
 * together). Each option line starts with four spaces and the option, the text begins at
 * column 28.
 */
#include "src/help.h"

#define USAGE "usage: %s [SOURCE] MOUNTPOINT [-o option[,option...]] [-f] [-d]\n"

void help_print_usage(FILE *out, const char *prog)
{
	fprintf(out, USAGE "       (--help lists the options)\n", prog);
}

void help_print(FILE *out, const char *prog)
{
	fprintf(out, USAGE
	       "       %s --demo MOUNTPOINT [-f]\n"
	       "\n"
	       "Shows a Huawei Cloud Workspace tenant as files. Unmount with\n"
	       "fusermount3 -u MOUNTPOINT. See wksfs(1) and doc/SEMANTICS.md.\n"
	       "\n"
	       "Credentials, first found wins: -o credentials_file= and/or -o profile= (that\n"
	       "file's section alone, nothing from the environment); the environment\n"
	       "(HUAWEICLOUD_SDK_AK, _SK, _SECURITY_TOKEN, _PROJECT_ID, _IAM_ENDPOINT); the file\n"
	       "$HUAWEICLOUD_SDK_CREDENTIALS_FILE or ~/.huaweicloud/credentials ([basic] ak, sk,\n"
	       "project_id, security_token); IAM password login (iam_user, iam_domain,\n"
	       "password_file). Secrets are never taken from the command line, and files that\n"
	       "group or others can read are refused.\n"
	       "\n"
	       "General options:\n"
	       "    -h, --help             print this help\n"
	       "    -V, --version          print the version\n"
	       "    -f                     stay in the foreground; log to stderr\n"
	       "    -d                     debug: -f and -o log_level=debug\n"
	       "    -s                     serve FUSE requests on one thread\n"
	       "    --demo                 mount a generated tenant served by the bundled emulator\n"
	       "\n"
	       "The tenant:\n"
	       "    -o region=REGION       endpoint https://workspace.REGION.myhuaweicloud.com\n"
	       "    -o endpoint=URL        the Workspace endpoint (overrides region)\n"
	       "    -o appstream_endpoint=URL  App Streaming (default: appstream.REGION for\n"
	       "                           mainland China regions, else the Workspace one)\n"
	       "    -o project_id=ID       project (default: from the credentials, else resolved\n"
	       "                           through IAM from the region)\n"
	       "    -o credentials_file=PATH  read AK/SK from PATH, an SDK credentials file\n"
	       "    -o profile=NAME        its section [NAME] (default [basic])\n"
	       "    -o iam_endpoint=URL    IAM (default https://iam.myhuaweicloud.com)\n"
	       "    -o iam_user=NAME,iam_domain=ACCOUNT,password_file=PATH\n"
	       "                           log in to IAM with a password instead of AK/SK\n"
	       "\n"
	       "Cache:\n"
	       "    -o ttl=SECS            how long listings and objects stay cached (30)\n"
	       "    -o ttl_KIND=SECS       the same for one kind (ttl_desktops, ttl_users, ...)\n"
	       "    -o negative_ttl=SECS   how long \"no such object\" is remembered (5)\n"
	       "                           (every SECS may also be 30s, 5m or 1h)\n"
	       "    -o no_stale_on_error   fail reads when the API is down instead of serving\n"
	       "                           the last good data (stale_on_error, the default)\n"
	       "    -o max_cache_mb=N      bound the cache's memory (default: unbounded)\n"
	       "    -o max_listing=N       objects in one listing at most; past N the listing\n"
	       "                           is cut, and the cut noted in .wksfs/errors (1000000)\n"
	       "    -o session_window=SECS how far back app-sessions/ looks (86400)\n"
	       "    -o wait_timeout=SECS   how long cat jobs/ID/wait blocks (600)\n"
	       "\n"
	       "Network:\n"
	       "    -o timeout=SECS        total time allowed per request (30)\n"
	       "    -o connect_timeout=SECS  time allowed to connect (10)\n"
	       "    -o retries=N           extra attempts for reads (GET) that failed (4)\n"
	       "    -o max_conns=N         requests in flight at once for one listing (8)\n"
	       "    -o batch_window_ms=MS  actions (one verb, on desktops) written within MS of\n"
	       "                           each other go out as one call; a batch waits at most\n"
	       "                           10 windows (20; 0: one call per write)\n"
	       "    -o batch_max=N         objects per batched call at most (100)\n"
	       "    -o cafile=PATH         trust the CA certificates in PATH (PEM)\n"
	       "    -o insecure            do not verify TLS certificates (dangerous)\n"
	       "\n"
	       "Safety:\n"
	       "    -o ro                  read-only, in the kernel too: writes fail with EROFS\n"
	       "    -o dry_run             mutations are audited and logged, not sent\n"
	       "    -o allow_delete        let rmdir KIND/NAME delete the object, for every kind\n"
	       "                           the API deletes (/README names them; others: EPERM)\n"
	       "    -o allow_other         let other users read; only the mounting user (and\n"
	       "                           root) may act (implies default_permissions)\n"
	       "    -o dumpable            allow core dumps and ptrace of the daemon (off: they\n"
	       "                           would expose the keys and tokens in its memory)\n"
	       "\n"
	       "Logging and audit:\n"
	       "    -o log_level=LEVEL     error, warning, notice, info (default) or debug (one\n"
	       "                           line per API request)\n"
	       "    -o log_file=PATH       append the log to PATH (created 0600) instead of\n"
	       "                           stderr (-f) or syslog\n"
	       "    -o audit_file=PATH     append each audit line to PATH (created 0600), on\n"
	       "                           disk before the write that caused it returns\n"
	       "    -o fuse_debug          libfuse's trace of every FUSE request (implies -f)\n"
	       "\n"
	       "Mount (libfuse's; any other option of mount.fuse3(8) is passed on):\n"
	       "    -o auto_unmount        unmount when wksfs exits, even if it is killed\n"
	       "    -o max_threads=N       FUSE requests served at once (64)\n"
	       "    -o fsname=NAME         the mount's source in /proc/mounts (as SOURCE)\n"
	       "\n",
	       prog, prog);
}
