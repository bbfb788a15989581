/* harness.h — real mounts for tests: the emulator on a free port, wksfs -f on a temp dir. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

/* The emulator's default project id (its --project-id). */
#define HARNESS_PROJECT "0123456789abcdef0123456789abcdef"

typedef struct {
	char *workdir;
	char *mnt;
	char *fs_log;
	char *emu_log;
	GPid emu_pid;
	GPid fs_pid;
	int port;
	gboolean mounted;
	int fs_status;		/* wait status once the daemon exited */
	char **env;		/* the daemon's environment, from harness_setenv() */
	char *ca_file;		/* set when the emulator serves https (harness_emulator_tls) */
	char *token;		/* an IAM token of the emulator's, for harness_api_get() */
	char **emu_argv;	/* how the emulator was started (harness_emulator_restart) */
} Mount;

/* Why mount tests cannot run here (for g_test_skip), or NULL. */
const char *harness_unusable_reason(void);

/* Starts the emulator with extra arguments (NULL-terminated, may be NULL). */
Mount *harness_emulator(const char *const *emu_args);
/* The same over https, with a self-signed certificate for 127.0.0.1 made with openssl; NULL
 * (and the test skipped) without openssl. */
Mount *harness_emulator_tls(const char *const *emu_args);
/* Kills the emulator (SIGKILL: no goodbye on its connections) and starts it again with the
 * same arguments (so the same --seed: the tenant as generated, mutations since forgotten) on
 * the same port, once that port is free; returns when it listens. The daemon is untouched. */
void harness_emulator_kill(Mount *m);
void harness_emulator_restart(Mount *m);
/* The endpoint URL the emulator serves (caller frees). */
char *harness_endpoint(Mount *m);
/* Sets (value) or removes (NULL) a variable in the daemon's environment. By default it has
 * the emulator's AK/SK and project id. */
void harness_setenv(Mount *m, const char *name, const char *value);

/* Starts wksfs on m (AK/SK and endpoint set) with extra -o options ("ttl=60" or NULL) and
 * waits for the mount. FALSE if the daemon exited instead (its log is printed). */
gboolean harness_mount(Mount *m, const char *options);
/* The same with flag instead of -f (-d: foreground and debug) and setup run in the daemon's
 * child before exec (NULL: it only dies with the test; a setup that changes ids must set
 * PR_SET_PDEATHSIG itself, after the change). */
gboolean harness_mount_with(Mount *m, const char *flag, const char *options,
			    GSpawnChildSetupFunc setup);
/* Unmounts (asserting a clean daemon exit unless the test failed), stops the emulator,
 * removes the work directory. */
void harness_stop(Mount *m);

char *harness_path(Mount *m, const char *rel);

/* A second wksfs (with options) on m's emulator (http only), mounted on a directory of its
 * own: another client changing what m has cached. NULL (the test failed) if it did not
 * mount. harness_stop() unmounts it and leaves the emulator running. */
Mount *harness_mount_beside(Mount *m, const char *options);

/* The emulator (with emu_args) and wksfs (with options) mounted, or NULL with the test
 * skipped (no FUSE here) or failed (it did not mount). */
Mount *harness_start(const char *const *emu_args, const char *options);
/* The emulator alone, or NULL with the test skipped when mount tests cannot run. */
Mount *harness_emulator_or_skip(const char *const *emu_args);
/* The names in a directory of the mount, sorted (the test fails if it cannot be read). Below
 * the root, names starting with '.' are left out, as `ls` does: no object's name does (it
 * is escaped), so they are control files (a collection's .create). */
GPtrArray *harness_list(Mount *m, const char *rel);

/* The API itself, as wksfs is answered: GET path ("/v2/{project_id}/..." with a query;
 * {project_id} is filled in) with an IAM token of the emulator's default user. The body,
 * or NULL when the answer is not 200 (*ret_status, when given, says what it was). */
cJSON *harness_api_get(Mount *m, const char *path, long *ret_status);

/* Emulator control API. */
cJSON *harness_emu_get(Mount *m, const char *path);
void harness_emu_post(Mount *m, const char *path, const char *body);
/* NULL when the emulator answers anything but 200. */
cJSON *harness_emu_get_maybe(Mount *m, const char *path);
/* Requests the emulator counted for "METHOD /path/template". */
gint64 harness_route_count(Mount *m, const char *route);
void harness_reset_stats(Mount *m);
/* Requests that change something, as the emulator counted them: every route but GETs, IAM
 * logins and the one POST that only queries (session-type). */
gint64 harness_mutation_count(Mount *m);

/* Reads a file under the mount; NULL and errno set on failure. */
char *harness_read(Mount *m, const char *rel);
/* /.wksfs/stats/<name> of the mount, as a number. */
gint64 harness_stat(Mount *m, const char *name);
/* stat()'s size of rel. */
gsize harness_size(Mount *m, const char *rel);
/* rel is served from the kernel's cache: once it holds it, 5 reads of rel give want (in
 * bytes and in stat's size) and reach the daemon only to open it — no FUSE read, lookup or
 * getattr, no API call (the kernel skips FUSE_OPEN only for a whole connection). */
void harness_assert_cached(Mount *m, const char *rel, const char *want);
/* dir's listing is served from the kernel's copy: once listed, `ls` costs no readdir.
 * Returns how many names it has. */
guint harness_assert_listing_cached(Mount *m, const char *dir);
/* open(O_WRONLY|O_TRUNC) + one write + close, like `echo text > file`: 0 or the errno of
 * the first failing step. */
int harness_write(Mount *m, const char *rel, const char *text);
/* `sh -c cmd` as a user types it, in the mount directory rel (NULL: the mount's root): its
 * exit status (128 when killed), its stderr in *ret_err when given (logged either way). */
/* Lists rel to its end: 0, or the errno opendir() or readdir() set. */
int harness_list_errno(Mount *m, const char *rel);
/* fusermount3 -u of m's mount point and a wait for its wksfs to exit 0; the emulator goes
 * on (harness_stop later stops it). */
void harness_unmount_only(Mount *m);
int harness_sh(Mount *m, const char *rel, const char *cmd, char **ret_err);
/* Whether the mount directory rel lists name. */
gboolean harness_listed(Mount *m, const char *rel, const char *name);
/* One body written to kind/.create on an O_RDWR descriptor as one write(): 0 or the write's
 * -errno, and what the descriptor reads back after it in *ret_result. */
int harness_create_rw(Mount *m, const char *kind, const char *body, char **ret_result);
/* The other local user permission tests act as (nobody). */
#define HARNESS_OTHER_UID 65534
#define HARNESS_OTHER_GID 65534
/* One step as HARNESS_OTHER_UID in a child: 0 or its errno. fd >= 0: write text to it (the
 * owner opened it; closed here); else open path (O_WRONLY | O_CREAT | O_TRUNC) and write
 * text, or with remove unlink path. */
int harness_as_other(const char *path, int fd, const char *text, gboolean remove);

/* harness-valgrind.c. How many times slower than the plain build the daemon runs: 20 under
 * valgrind (WKSFS_VALGRIND, tests/valgrind.sh), 4 under ASan (WKSFS_SANITIZED), else 1; the
 * harness's waits and the tests' time bounds are multiplied by it. */
int harness_slowdown(void);
gboolean harness_under_valgrind(void);
/* The daemon's argv (NULL-terminated, owning its strings) behind the words of WKSFS_WRAPPER
 * when set, and under valgrind a --log-file in workdir (vg.<pid>). */
GPtrArray *harness_wrap_argv(const char *workdir, const char *const *argv);
/* Under valgrind: reads the logs the daemons of workdir left, one TAP comment each
 * ("# valgrind: errors=N definitely_lost=B bytes ..."), and fails the test on an error or a
 * block definitely lost (the log printed, kept as vg.<pid>.failed); the others are removed. */
void harness_valgrind_check(const char *workdir);
