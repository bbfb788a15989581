# call-cycles.awk — the file graph of a directory's C files, for tests/check-layering.sh.
#
# File A depends on file B when A names (calls, or takes the address of) a function or a
# variable that B defines without `static`; a static one, or one A defines itself, does not
# count. Comments, string and character literals are blanked first. A definition is a line
# at the top level (brace depth 0) that starts in column 0 with its type and name, as the
# house style writes them (a function's name on the line of its return type); a prototype
# (followed by ';', not a body) defines nothing. Headers are not read: a static inline
# function in a header (src/keys.h) is no file's export.
#
# Prints, for each cycle met by a depth-first walk, "a.c -> b.c -> a.c"; nothing when the
# graph is acyclic. With -v edges=1, prints the edges instead, "a.c -> b.c", one a line.

function strip(s,    out, q, c)
{
	out = ""
	while (s != "") {
		if (incomment) {
			if (!index(s, "*/"))
				return out
			s = substr(s, index(s, "*/") + 2)
			incomment = 0
			out = out " "
			continue
		}
		if (!match(s, /\/\*|\/\/|["']/)) {
			out = out s
			break
		}
		out = out substr(s, 1, RSTART - 1) " "
		q = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		if (q == "/*") {
			incomment = 1
		} else if (q == "//") {
			break
		} else {
			while (s != "") {	# to the closing quote, over escapes
				c = substr(s, 1, 1)
				s = substr(s, c == "\\" ? 3 : 2)
				if (c == q)
					break
			}
		}
	}
	return out
}

# The name a top-level line declares, "" if none; isfunc says whether a '(' follows it.
function declared(line,    m)
{
	isfunc = 0
	if (line ~ /^(typedef|extern)[ \t]/ ||
	    line ~ /^(struct|union|enum)[ \t]+[A-Za-z_0-9]*[ \t]*[{;]/)
		return ""
	if (match(line, /^[A-Za-z_][A-Za-z_0-9 \t*]*[ \t*][A-Za-z_][A-Za-z_0-9]*[ \t]*\(/))
		isfunc = 1
	else if (!match(line, /^[A-Za-z_][A-Za-z_0-9 \t*]*[ \t*][A-Za-z_][A-Za-z_0-9]*[ \t]*[[=;]/))
		return ""
	m = substr(line, RSTART, RLENGTH - 1)
	sub(/[ \t]*$/, "", m)
	sub(/.*[ \t*]/, "", m)
	return m
}

function define(name, file, isstatic)
{
	own[file, name] = 1
	if (!isstatic)
		definer[name] = file
}

FNR == 1 {
	file = FILENAME
	sub(/.*\//, "", file)
	files[++nfiles] = file
	depth = 0
	incomment = 0
	pending = ""
}

{
	line = strip($0)
	if (depth == 0 && line ~ /^[A-Za-z_]/) {
		name = declared(line)
		if (name != "" && isfunc) {
			pending = name	# a definition if a body follows, not a ';'
			pendingstatic = line ~ /^static[ \t]/
		} else if (name != "") {
			define(name, file, line ~ /^static[ \t]/)
		}
	}
	rest = line
	while (depth == 0 && pending != "" && match(rest, /[{;]/)) {
		if (substr(rest, RSTART, 1) == "{")
			define(pending, file, pendingstatic)
		pending = ""
		rest = substr(rest, RSTART + 1)
	}
	depth += gsub(/{/, "{", line) - gsub(/}/, "}", line)
	n = split(line, words, /[^A-Za-z_0-9]+/)
	for (i = 1; i <= n; i++)
		if (words[i] ~ /^[A-Za-z_]/)
			used[file, words[i]] = 1
}

function visit(u,    n, vs, i, v, k, path)
{
	color[u] = 1	# on the walk's stack; 2: done
	stack[++top] = u
	n = split(adj[u], vs, " ")
	for (i = 1; i <= n; i++) {
		v = vs[i]
		if (color[v] == 1) {
			for (k = top; stack[k] != v; k--)
				;
			path = v
			for (k++; k <= top; k++)
				path = path " -> " stack[k]
			print path " -> " v
		} else if (!color[v]) {
			visit(v)
		}
	}
	top--
	color[u] = 2
}

END {
	for (key in used) {
		split(key, fw, SUBSEP)
		to = definer[fw[2]]
		if (to == "" || to == fw[1] || ((fw[1], fw[2]) in own) || ((fw[1], to) in edge))
			continue
		edge[fw[1], to] = 1
		adj[fw[1]] = adj[fw[1]] " " to
	}
	if (edges) {
		for (key in edge) {
			split(key, fw, SUBSEP)
			print fw[1] " -> " fw[2]
		}
		exit
	}
	for (i = 1; i <= nfiles; i++)
		if (!color[files[i]])
			visit(files[i])
}
