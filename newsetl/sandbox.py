"""A process that cannot write: Linux Landlock, through ctypes, for `newsetl query`.

`newsetl query` classifies every statement with DuckDB's parser and refuses writes (newsetl/query.py),
but DuckDB's `allowed_directories`, which confine its reads to the warehouse, admit writes there as
well. So the SQL runs in a child process that first gives up, for itself and every thread and process
it starts, the right to change the file system anywhere but one private temporary folder (DuckDB's
spill space): no file can be opened for writing, truncated, created, removed, renamed, linked
(`refer`) or made a directory, FIFO, socket, device or symlink. Reading stays allowed. For a local
warehouse, TCP connect and bind are denied too (ABI 4), and so are signals and abstract UNIX sockets
to processes outside the sandbox (ABI 6).

Landlock is unprivileged and stackable: `deny_writes` needs no root, takes effect on the calling thread
and is inherited by the threads and processes it starts afterwards, so it must run before DuckDB (or
anything else) starts a thread. It cannot be undone. Never call it in a process that has more to do,
such as a test runner: `run_child` runs a command in a child process for that.

Where the kernel has no Landlock (not Linux, a kernel before 5.13, Landlock not enabled at boot),
`abi()` is 0 and the caller decides what to do; `newsetl query` then runs with the parser check alone
and says so on stderr.
"""

import ctypes
import io
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

# System call numbers, the same on every Linux architecture (added after the tables were unified).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights (include/uapi/linux/landlock.h); the ABI that introduced each.
WRITE_FILE = 1 << 1
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2: link or rename a file into another folder
TRUNCATE = 1 << 14  # ABI 3: truncate(2), open(O_TRUNC)
_WRITES_BY_ABI = {
    1: WRITE_FILE
    | REMOVE_DIR
    | REMOVE_FILE
    | MAKE_CHAR
    | MAKE_DIR
    | MAKE_REG
    | MAKE_SOCK
    | MAKE_FIFO
    | MAKE_BLOCK
    | MAKE_SYM,
    2: REFER,
    3: TRUNCATE,
}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6


class SandboxUnavailable(OSError):
    """The kernel refused to set up the Landlock ruleset."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # __attribute__((packed)) in the kernel header: 12 bytes
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def abi() -> int:
    """The Landlock ABI version the kernel offers, 0 when it offers none."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        version = _libc().syscall(
            _SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION)
        )
    except (OSError, AttributeError):
        return 0
    return max(0, int(version))


def write_rights(version: int) -> int:
    """Every right that changes the file system, as far as ABI `version` knows them."""
    rights = 0
    for introduced, bits in _WRITES_BY_ABI.items():
        if version >= introduced:
            rights |= bits
    return rights


def _fail(what: str) -> SandboxUnavailable:
    code = ctypes.get_errno()
    return SandboxUnavailable(code, f"Landlock {what} failed: {os.strerror(code)}")


def deny_writes(writable: Sequence[str | Path] = (), deny_network: bool = True) -> int:
    """Make this process unable to change the file system outside the `writable` folders (and, when
    `deny_network`, unable to open TCP connections). Returns the ABI used; irreversible.

    Must be called before the process starts any thread: Landlock restricts the calling thread and
    what it starts afterwards, not threads already running.
    """
    version = abi()
    if version < 1:
        raise SandboxUnavailable(0, "this kernel offers no Landlock")
    libc = _libc()
    fs_rights = write_rights(version)
    attr = _RulesetAttr(handled_access_fs=fs_rights)
    size = 8  # ABI 1-3 know handled_access_fs only
    if version >= 4:
        attr.handled_access_net = (_NET_BIND_TCP | _NET_CONNECT_TCP) if deny_network else 0
        size = 16
    if version >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise _fail("create_ruleset")
    try:
        for folder in writable:
            fd = os.open(folder, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(allowed_access=fs_rights, parent_fd=fd)
                if (
                    libc.syscall(
                        _SYS_ADD_RULE,
                        ctypes.c_int(ruleset),
                        ctypes.c_int(_RULE_PATH_BENEATH),
                        ctypes.byref(rule),
                        ctypes.c_uint32(0),
                    )
                    != 0
                ):
                    raise _fail(f"add_rule for {folder}")
            finally:
                os.close(fd)
        # Required of an unprivileged process, and keeps a setuid program from escaping the sandbox.
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise _fail("prctl(PR_SET_NO_NEW_PRIVS)")
        if libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise _fail("restrict_self")
    finally:
        os.close(ruleset)
    return version


def _real_fd(stream: TextIO) -> int | None:
    """The stream's file descriptor, when it has one a child can inherit (not pytest's capture)."""
    try:
        stream.flush()
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _copy(source: io.BufferedIOBase, stream: TextIO) -> None:
    """Relay a child's output to a Python stream that has no file descriptor, a chunk at a time."""
    target = getattr(stream, "buffer", None)
    for chunk in iter(lambda: source.read1(1 << 16), b""):
        if target is not None:
            target.write(chunk)
        else:
            stream.write(chunk.decode("utf-8", errors="replace"))
        stream.flush()


def run_child(
    command: Sequence[str], stdin: bytes, kill_after: float | None, env: dict[str, str] | None = None
) -> int | None:
    """Run command with `stdin` as its input and its output on this process's stdout and stderr, which
    it inherits when they are real files and are relayed otherwise. Returns its exit code, or None when
    it was still running after `kill_after` seconds and was killed."""
    out_fd, err_fd = _real_fd(sys.stdout), _real_fd(sys.stderr)
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.PIPE,
        stdout=out_fd if out_fd is not None else subprocess.PIPE,
        stderr=err_fd if err_fd is not None else subprocess.PIPE,
        env=env,
    )
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        process.kill()

    timer = threading.Timer(kill_after, kill) if kill_after is not None else None
    relays = [
        threading.Thread(target=_copy, args=(pipe, stream), daemon=True)
        for pipe, stream in ((process.stdout, sys.stdout), (process.stderr, sys.stderr))
        if pipe is not None
    ]
    try:
        if timer:
            timer.daemon = True
            timer.start()
        for relay in relays:
            relay.start()
        try:
            assert process.stdin is not None  # Popen(stdin=PIPE)
            process.stdin.write(stdin)
            process.stdin.close()
        except BrokenPipeError:  # the child ended without reading its input; its exit code says why
            pass
        for relay in relays:
            relay.join()
        code = process.wait()
    finally:
        if timer:
            timer.cancel()
        if process.poll() is None:  # interrupted (Ctrl-C): the child goes too
            process.kill()
            process.wait()
    return None if killed.is_set() else code
