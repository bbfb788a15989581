/* harness.c — mount-test plumbing, after libfuse's and sshfs's harnesses
 * (shared/research/aesthetics.md §4): daemon in the foreground with a log, wait for the FUSE
 * magic, always unmount; on failure print the logs, lazy-unmount and kill. The emulator's
 * control API too; harness-files.c is the mount as its user meets it.
 */
#include "tests/harness.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546
#define PROJECT HARNESS_PROJECT

const char *harness_unusable_reason(void)
{
	int fd;

	if (!g_getenv("WKS_EMULATOR") || !g_getenv("WKSFS_BIN"))
		return "WKS_EMULATOR / WKSFS_BIN not set (run through meson test)";
	fd = open("/dev/fuse", O_RDWR);
	if (fd < 0)
		return "/dev/fuse cannot be opened";
	close(fd);
	g_autofree char *fusermount = g_find_program_in_path("fusermount3");

	if (!fusermount)
		return "fusermount3 not installed";
	return NULL;
}

static void die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* argv, its output appended to log; setup runs in the child (NULL: die_with_parent). */
static GPid spawn_logged(const char *const *argv, const char *const *envp, const char *log,
			 GSpawnChildSetupFunc setup)
{
	g_autoptr(GError) error = NULL;
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	GPid pid = 0;

	g_assert_cmpint(fd, >=, 0);
	if (!g_spawn_async_with_fds(NULL, (char **)argv, (char **)envp,
				    G_SPAWN_DO_NOT_REAP_CHILD, setup ? setup : die_with_parent,
				    NULL, &pid, -1, fd, fd, &error))
		g_error("spawn %s: %s", argv[0], error->message);
	close(fd);
	return pid;
}

static void print_file(const char *what, const char *path)
{
	g_autofree char *text = NULL;

	if (path && g_file_get_contents(path, &text, NULL, NULL))
		g_test_message("---- %s (%s) ----\n%s", what, path, text);
}

static Mount *emulator(const char *const *emu_args, gboolean tls)
{
	Mount *m = g_new0(Mount, 1);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *port_file = NULL;
	g_autofree char *cert = NULL, *key = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	m->workdir = g_dir_make_tmp("wksfs-test-XXXXXX", NULL);
	g_assert_nonnull(m->workdir);
	m->mnt = g_build_filename(m->workdir, "mnt", NULL);
	g_mkdir(m->mnt, 0755);
	m->fs_log = g_build_filename(m->workdir, "fs.log", NULL);
	m->emu_log = g_build_filename(m->workdir, "emulator.log", NULL);
	port_file = g_build_filename(m->workdir, "port", NULL);

	g_ptr_array_add(argv, (char *)g_getenv("WKS_EMULATOR"));
	g_ptr_array_add(argv, (char *)"--port");
	g_ptr_array_add(argv, (char *)"0");
	g_ptr_array_add(argv, (char *)"--port-file");
	g_ptr_array_add(argv, port_file);
	if (tls) {
		g_autofree char *san = g_strdup("subjectAltName=IP:127.0.0.1");
		int status = -1;

		cert = g_build_filename(m->workdir, "cert.pem", NULL);
		key = g_build_filename(m->workdir, "key.pem", NULL);
		const char *gen[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
				      "-keyout", key, "-out", cert, "-days", "1",
				      "-subj", "/CN=127.0.0.1", "-addext", san, NULL };
		g_spawn_sync(NULL, (char **)gen, NULL,
			     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
			     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL);
		g_assert_cmpint(status, ==, 0);
		m->ca_file = g_strdup(cert);
		g_ptr_array_add(argv, (char *)"--tls-cert");
		g_ptr_array_add(argv, cert);
		g_ptr_array_add(argv, (char *)"--tls-key");
		g_ptr_array_add(argv, key);
	}
	for (const char *const *a = emu_args; a && *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	m->emu_pid = spawn_logged((const char *const *)argv->pdata, NULL, m->emu_log, NULL);
	m->emu_argv = g_strdupv((char **)argv->pdata);
	m->env = g_get_environ();
	m->env = g_environ_setenv(m->env, "HUAWEICLOUD_SDK_AK", "EMULATORAK", TRUE);
	m->env = g_environ_setenv(m->env, "HUAWEICLOUD_SDK_SK", "EMULATORSK", TRUE);
	m->env = g_environ_setenv(m->env, "HUAWEICLOUD_SDK_PROJECT_ID", PROJECT, TRUE);
	m->env = g_environ_setenv(m->env, "G_DEBUG", "fatal-criticals", TRUE);

	while (g_get_monotonic_time() < deadline) {
		g_autofree char *text = NULL;

		if (g_file_get_contents(port_file, &text, NULL, NULL) && atoi(text) > 0) {
			m->port = atoi(text);
			return m;
		}
		g_usleep(20 * 1000);
	}
	print_file("emulator log", m->emu_log);
	g_error("the emulator did not write its port file");
}

Mount *harness_emulator(const char *const *emu_args)
{
	return emulator(emu_args, FALSE);
}

Mount *harness_emulator_tls(const char *const *emu_args)
{
	g_autofree char *openssl = g_find_program_in_path("openssl");

	if (!openssl) {
		g_test_skip("openssl is not installed");
		return NULL;
	}
	return emulator(emu_args, TRUE);
}

void harness_emulator_kill(Mount *m)
{
	int status;

	g_assert_cmpint(m->emu_pid, >, 0);
	kill(m->emu_pid, SIGKILL);
	waitpid(m->emu_pid, &status, 0);
	m->emu_pid = 0;
}

void harness_emulator_restart(Mount *m)
{
	g_autofree char *port_file = g_build_filename(m->workdir, "port", NULL);
	g_autofree char *port = g_strdup_printf("%d", m->port);
	g_auto(GStrv) argv = g_strdupv(m->emu_argv);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	if (m->emu_pid > 0)
		harness_emulator_kill(m);
	g_clear_pointer(&m->token, g_free);	/* the new process knows none of the old tokens */
	for (guint i = 0; argv[i] && argv[i + 1]; i++) {
		if (g_str_equal(argv[i], "--port")) {
			g_free(argv[i + 1]);
			argv[i + 1] = g_strdup(port);
		}
	}
	/* The port stays taken for a moment if a connection of the old process lingers;
	 * try until it binds (a failed start exits without writing the port file). */
	while (g_get_monotonic_time() < deadline) {
		gint64 started = g_get_monotonic_time();
		int status;

		g_unlink(port_file);
		m->emu_pid = spawn_logged((const char *const *)argv, NULL, m->emu_log, NULL);
		while (g_get_monotonic_time() < started + 5 * G_USEC_PER_SEC) {
			g_autofree char *text = NULL;

			if (g_file_get_contents(port_file, &text, NULL, NULL) &&
			    atoi(text) == m->port)
				return;
			if (waitpid(m->emu_pid, &status, WNOHANG) == m->emu_pid)
				break;
			g_usleep(10 * 1000);
		}
		if (m->emu_pid > 0 && kill(m->emu_pid, 0) == 0)
			harness_emulator_kill(m);
		m->emu_pid = 0;
		g_usleep(100 * 1000);
	}
	print_file("emulator log", m->emu_log);
	g_error("the emulator did not listen on port %d again", m->port);
}

char *harness_endpoint(Mount *m)
{
	return g_strdup_printf("%s://127.0.0.1:%d", m->ca_file ? "https" : "http", m->port);
}

void harness_setenv(Mount *m, const char *name, const char *value)
{
	if (value)
		m->env = g_environ_setenv(m->env, name, value, TRUE);
	else
		m->env = g_environ_unsetenv(m->env, name);
}

static gboolean is_fuse_mount(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == FUSE_SUPER_MAGIC;
}

/* Mounted, as the kernel says: statfs, or /proc/mounts for a mount this process may not
 * enter (a daemon of another gid, without allow_other). */
static gboolean is_mounted(const char *path)
{
	g_autofree char *mounts = NULL;
	g_autofree char *needle = g_strdup_printf(" %s fuse.wksfs ", path);

	return is_fuse_mount(path) ||
	       (g_file_get_contents("/proc/mounts", &mounts, NULL, NULL) &&
		strstr(mounts, needle));
}

gboolean harness_mount(Mount *m, const char *options)
{
	return harness_mount_with(m, "-f", options, NULL);
}

gboolean harness_mount_with(Mount *m, const char *flag, const char *options,
			    GSpawnChildSetupFunc setup)
{
	g_autofree char *endpoint = harness_endpoint(m);
	g_autofree char *opts = g_strdup_printf(
		"endpoint=%s,auto_unmount%s%s",
		endpoint, options ? "," : "", options ? options : "");
	gint64 deadline = g_get_monotonic_time() + 20 * harness_slowdown() * G_USEC_PER_SEC;
	const char *argv[] = { g_getenv("WKSFS_BIN"), flag, "-o", opts, m->mnt, NULL };
	g_autoptr(GPtrArray) wrapped = harness_wrap_argv(m->workdir, argv);

	m->fs_pid = spawn_logged((const char *const *)wrapped->pdata,
				 (const char *const *)m->env, m->fs_log, setup);

	while (g_get_monotonic_time() < deadline) {
		if (is_mounted(m->mnt)) {
			m->mounted = TRUE;
			return TRUE;
		}
		if (waitpid(m->fs_pid, &m->fs_status, WNOHANG) == m->fs_pid) {
			m->fs_pid = 0;
			if (is_mounted(m->mnt)) {
				m->mounted = TRUE;
				return TRUE;
			}
			return FALSE;
		}
		g_usleep(20 * 1000);
	}
	print_file("wksfs log", m->fs_log);
	g_test_fail_printf("wksfs did not mount within %d s", 20 * harness_slowdown());
	return FALSE;
}

static int run(const char *const *argv)
{
	int status = -1;

	g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
		     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
		     NULL, NULL, NULL, NULL, &status, NULL);
	return status;
}

static gboolean wait_exit(GPid pid, int seconds, int *ret_status)
{
	gint64 deadline = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < deadline) {
		if (waitpid(pid, ret_status, WNOHANG) == pid)
			return TRUE;
		g_usleep(20 * 1000);
	}
	return FALSE;
}

void harness_stop(Mount *m)
{
	gboolean failed = g_test_failed();
	int status = 0;

	if (!m)
		return;
	if (failed) {
		print_file("wksfs log", m->fs_log);
		print_file("emulator log", m->emu_log);
	}
	if (m->mounted) {
		const char *umount[] = { "fusermount3", "-u", m->mnt, NULL };
		const char *lazy[] = { "fusermount3", "-u", "-z", m->mnt, NULL };

		if (run(umount) != 0)
			run(lazy);
	}
	if (m->fs_pid > 0) {
		if (!wait_exit(m->fs_pid, 20 * harness_slowdown(), &status)) {
			kill(m->fs_pid, SIGTERM);
			if (!wait_exit(m->fs_pid, 2, &status)) {
				kill(m->fs_pid, SIGKILL);
				waitpid(m->fs_pid, &status, 0);
			}
			g_test_fail_printf("wksfs still running %d s after unmount",
					   20 * harness_slowdown());
		} else if (m->mounted && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			print_file("wksfs log", m->fs_log);
			g_test_fail_printf("wksfs exited with status %d after unmount", status);
		}
	}
	harness_valgrind_check(m->workdir);
	if (m->emu_pid > 0) {
		kill(m->emu_pid, SIGTERM);
		if (!wait_exit(m->emu_pid, 10, &status)) {
			kill(m->emu_pid, SIGKILL);
			waitpid(m->emu_pid, &status, 0);
		}
	}
	if (!g_test_failed()) {
		g_unlink(m->fs_log);
		if (m->emu_log)
			g_unlink(m->emu_log);
		g_autofree char *port = g_build_filename(m->workdir, "port", NULL);
		g_unlink(port);
		if (m->ca_file) {
			g_autofree char *key = g_build_filename(m->workdir, "key.pem", NULL);

			g_unlink(m->ca_file);
			g_unlink(key);
		}
		g_rmdir(m->mnt);
		g_rmdir(m->workdir);
	}
	g_free(m->workdir);
	g_free(m->mnt);
	g_free(m->fs_log);
	g_free(m->emu_log);
	g_strfreev(m->env);
	g_free(m->ca_file);
	g_free(m->token);
	g_strfreev(m->emu_argv);
	g_free(m);
}

Mount *harness_mount_beside(Mount *m, const char *options)
{
	Mount *b = g_new0(Mount, 1);

	g_assert_null(m->ca_file);
	b->workdir = g_dir_make_tmp("wksfs-test-XXXXXX", NULL);
	g_assert_nonnull(b->workdir);
	b->mnt = g_build_filename(b->workdir, "mnt", NULL);
	g_mkdir(b->mnt, 0755);
	b->fs_log = g_build_filename(b->workdir, "fs.log", NULL);
	b->port = m->port;
	b->env = g_strdupv(m->env);
	if (!harness_mount(b, options)) {
		g_test_fail_printf("the second wksfs did not mount");
		harness_stop(b);
		return NULL;
	}
	return b;
}

char *harness_path(Mount *m, const char *rel)
{
	return g_build_filename(m->mnt, rel, NULL);
}

static size_t collect(char *data, size_t size, size_t nmemb, void *user)
{
	g_string_append_len(user, data, (gssize)(size * nmemb));
	return size * nmemb;
}

static char *control_status(Mount *m, const char *method, const char *path, const char *body,
			    long *ret_status)
{
	CURL *h = curl_easy_init();
	g_autofree char *base = harness_endpoint(m);
	g_autofree char *url = g_strconcat(base, path, NULL);
	GString *out = g_string_new(NULL);
	long status = 0;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	if (m->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, m->ca_file);
	g_assert_cmpint(curl_easy_perform(h), ==, CURLE_OK);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	*ret_status = status;
	return g_string_free(out, FALSE);
}

static char *control(Mount *m, const char *method, const char *path, const char *body)
{
	long status = 0;
	char *text = control_status(m, method, path, body, &status);

	g_assert_cmpint(status, >=, 200);
	g_assert_cmpint(status, <, 300);
	return text;
}

static size_t subject_token(char *data, size_t size, size_t nmemb, void *user)
{
	static const char name[] = "X-Subject-Token:";
	gsize len = size * nmemb;

	if (len > sizeof(name) && g_ascii_strncasecmp(data, name, sizeof(name) - 1) == 0)
		*(char **)user = g_strstrip(g_strndup(data + sizeof(name) - 1,
						      len - (sizeof(name) - 1)));
	return len;
}

/* An IAM token for the emulator's default user and project (its defaults, main.c). */
static char *iam_token(Mount *m)
{
	static const char body[] = "{\"auth\": {\"identity\": {\"methods\": [\"password\"], "
		"\"password\": {\"user\": {\"name\": \"admin\", \"password\": "
		"\"EMULATORPASSWORD\", \"domain\": {\"name\": \"demo-domain\"}}}}, \"scope\": "
		"{\"project\": {\"id\": \"" HARNESS_PROJECT "\"}}}}";
	CURL *h = curl_easy_init();
	g_autofree char *base = harness_endpoint(m);
	g_autofree char *url = g_strconcat(base, "/v3/auth/tokens", NULL);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	g_autoptr(GString) out = g_string_new(NULL);
	char *token = NULL;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, subject_token);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &token);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	if (m->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, m->ca_file);
	g_assert_cmpint(curl_easy_perform(h), ==, CURLE_OK);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	g_assert_nonnull(token);
	return token;
}

cJSON *harness_api_get(Mount *m, const char *path, long *ret_status)
{
	g_autofree char *base = harness_endpoint(m);
	g_auto(GStrv) parts = g_strsplit(path, "{project_id}", -1);
	g_autofree char *filled = g_strjoinv(HARNESS_PROJECT, parts);
	g_autofree char *url = g_strconcat(base, filled, NULL);
	g_autofree char *auth = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct curl_slist *headers;
	CURL *h = curl_easy_init();
	long status = 0;

	if (!m->token)
		m->token = iam_token(m);
	auth = g_strconcat("X-Auth-Token: ", m->token, NULL);
	headers = curl_slist_append(NULL, auth);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	if (m->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, m->ca_file);
	g_assert_cmpint(curl_easy_perform(h), ==, CURLE_OK);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	if (ret_status)
		*ret_status = status;
	return status == 200 ? cJSON_Parse(out->str) : NULL;
}

cJSON *harness_emu_get_maybe(Mount *m, const char *path)
{
	long status = 0;
	g_autofree char *text = control_status(m, "GET", path, NULL, &status);

	return status == 200 ? cJSON_Parse(text) : NULL;
}

cJSON *harness_emu_get(Mount *m, const char *path)
{
	g_autofree char *text = control(m, "GET", path, NULL);
	cJSON *root = cJSON_Parse(text);

	g_assert_nonnull(root);
	return root;
}

void harness_emu_post(Mount *m, const char *path, const char *body)
{
	g_free(control(m, "POST", path, body ? body : ""));
}

gint64 harness_route_count(Mount *m, const char *route)
{
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	const cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(stats, "routes"), route);
	gint64 count = cJSON_IsNumber(n) ? (gint64)n->valuedouble : 0;

	cJSON_Delete(stats);
	return count;
}

void harness_reset_stats(Mount *m)
{
	harness_emu_post(m, "/__emulator/reset-stats", NULL);
}

Mount *harness_emulator_or_skip(const char *const *emu_args)
{
	const char *why = harness_unusable_reason();

	if (why) {
		g_test_skip(why);
		return NULL;
	}
	return harness_emulator(emu_args);
}

Mount *harness_start(const char *const *emu_args, const char *options)
{
	Mount *m = harness_emulator_or_skip(emu_args);

	if (m && !harness_mount(m, options)) {
		g_test_fail_printf("wksfs did not mount");
		harness_stop(m);
		return NULL;
	}
	return m;
}

gint64 harness_mutation_count(Mount *m)
{
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	const cJSON *r;
	gint64 n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(stats, "routes"))
		if (cJSON_IsNumber(r) && !g_str_has_prefix(r->string, "GET ") &&
		    strcmp(r->string, "unmatched") != 0 &&
		    strcmp(r->string, "POST /v3/auth/tokens") != 0 &&
		    strcmp(r->string, "POST /v1/{project_id}/session-type") != 0)
			n += (gint64)r->valuedouble;
	cJSON_Delete(stats);
	return n;
}

