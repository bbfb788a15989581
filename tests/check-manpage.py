#!/usr/bin/env python3
"""Lint: doc/wksfs.1 renders without a warning, has the sections an admin looks for, and
documents exactly the options `wksfs --help` lists (and --help lists each once, without
libfuse's module options). Prints TAP.

Usage: check-manpage.py WKSFS_BINARY MAN_PAGE
"""
import os
import re
import shutil
import subprocess
import sys

results = []


def check(description, problem, skip=None):
    results.append((description, problem, skip))


def help_options(text):
    """The options --help lists: flags as written (-h, --demo), -o options by name."""
    names = []
    for line in text.splitlines():
        m = re.match(r"^    (-\S.*)$", line)
        if not m:
            continue
        rest = m.group(1)
        if rest.startswith("-o "):
            word = rest[3:].split()[0]
            names += [item.split("=")[0] for item in word.split(",") if item]
        else:
            for word in rest.split():
                if not word.startswith("-"):
                    break
                names.append(word.rstrip(","))
    return names


def macro_args(text):
    """The arguments of a man macro line, quotes honoured."""
    return [a[1:-1] if a.startswith('"') else a
            for a in re.findall(r'"[^"]*"|\S+', text)]


def unescape(text):
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
    return text


def man_options(source):
    """The options the man page's OPTIONS section documents: each .TP's tag line."""
    lines = source.splitlines()
    start = lines.index(".SH OPTIONS") if ".SH OPTIONS" in lines else len(lines)
    names = []
    for i in range(start + 1, len(lines)):
        if lines[i].startswith(".SH "):
            break
        if lines[i] != ".TP":
            continue
        tag = lines[i + 1]
        macro, _, rest = tag.partition(" ")
        args = macro_args(rest)
        joined = " ".join(args) if macro in (".B", ".I") else "".join(args)
        for item in unescape(joined).split(", "):
            item = item.strip()
            names.append(item if item.startswith("-") else item.split("=")[0])
    return names


def main():
    binary, page = sys.argv[1], sys.argv[2]
    with open(page) as f:
        source = f.read()

    # Rendering, as the issue asks: man --warnings and groff -ww, both silent.
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    if shutil.which("man") and shutil.which("groff"):
        man = subprocess.run(["man", "--warnings", "-l", page], env=env,
                             capture_output=True, text=True)
        check("man --warnings -l renders without a warning",
              man.stderr.strip() or (man.returncode and "exit %d" % man.returncode))
        groff = subprocess.run(["groff", "-ww", "-z", "-man", page], capture_output=True,
                               text=True)
        check("groff -ww -z -man is silent", groff.stderr.strip())
    else:
        check("man --warnings -l renders without a warning", None,
              skip="man or groff is not installed (scripts/deps.sh installs them)")
        check("groff -ww -z -man is silent", None, skip="groff is not installed")

    sections = re.findall(r"^\.SH (.+)$", source, re.M)
    wanted = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "CREDENTIALS", "LOGGING",
              "AUDIT", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"]
    missing = [s for s in wanted if s not in sections]
    check("the sections: " + ", ".join(wanted), missing and "missing " + ", ".join(missing))
    examples = source[source.find(".SH EXAMPLES"):] if ".SH EXAMPLES" in source else ""
    forms = {"fstab, helper form": r"^\S+ /\S+ fuse\.wksfs \S+ 0 0$",
             "fstab, wksfs# form": r"^wksfs#\S* /\S+ fuse \S+ 0 0$",
             "systemd unit": r"^ExecStart=/usr/local/bin/wksfs ",
             "meson install": r"meson install"}
    check("EXAMPLES show the fstab forms, a systemd unit and the install",
          [k for k, v in forms.items() if not re.search(v, unescape(examples), re.M)])

    out = subprocess.run([binary, "--help"], capture_output=True, text=True)
    check("wksfs --help exits 0", out.returncode and "exit %d" % out.returncode)
    listed = help_options(out.stdout)
    twice = sorted({n for n in listed if listed.count(n) > 1})
    check("--help lists each option once", twice and "twice: " + ", ".join(twice))
    fuse_noise = [w for w in ("FUSE options", "clone_fd", "max_idle_threads", "allow_root",
                              "-o kernel_cache", "--help -h") if w in out.stdout]
    check("--help has none of libfuse's module help", fuse_noise)
    documented = man_options(source)
    check("--help lists something", not listed and "no option found in --help")
    check("the man page documents something", not documented and "no option in OPTIONS")
    undocumented = sorted(set(listed) - set(documented))
    unlisted = sorted(set(documented) - set(listed))
    check("every option --help lists is in the man page's OPTIONS",
          undocumented and ", ".join(undocumented))
    check("every option the man page documents is in --help",
          unlisted and ", ".join(unlisted))

    failed = False
    for n, (description, problem, skip) in enumerate(results, 1):
        if skip:
            print("ok %d - %s # SKIP %s" % (n, description, skip))
        elif problem:
            failed = True
            print("not ok %d - %s: %s" % (n, description, problem))
        else:
            print("ok %d - %s" % (n, description))
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
