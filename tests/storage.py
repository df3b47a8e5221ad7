"""Real storage faults for tests: a small file system that fills up, a folder on read-only media.

A full disk is a tmpfs of a few MB mounted under the test's temporary folder,
filled with a ballast file until only a chosen number of bytes are left: the
database on it meets a real ENOSPC and SQLite answers SQLITE_FULL, exactly as
on a full disk. Read-only media is a read-only bind mount of a folder. Both
need the right to mount (root, as on this project's CI); without it the test
is skipped with the reason, since no user-level trick gives a real full or
read-only file system.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextlib.contextmanager
def small_disk(path: Path, size_kb: int) -> Iterator[SmallDisk]:
    """A tmpfs of size_kb mounted at path (skips the test when this machine does not let us mount)."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command: a small file system cannot be made here")
    path.mkdir(parents=True, exist_ok=True)
    result = _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "tmpfs", str(path))
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({result.stderr.strip() or 'not permitted'})")
    try:
        yield SmallDisk(path)
    finally:
        _umount(path)


class SmallDisk:
    """A mounted tmpfs, and a ballast file that takes all but a chosen number of its free bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ballast = path / "ballast"

    def free(self) -> int:
        st = os.statvfs(self.path)
        return st.f_bavail * st.f_frsize

    def fill(self, leave: int = 0) -> None:
        """Grow the ballast until at most `leave` bytes are free."""
        chunk = b"\0" * 65536
        with open(self.ballast, "ab") as f:
            while self.free() > leave:
                try:
                    f.write(chunk[: max(4096, min(len(chunk), self.free() - leave))])
                    f.flush()
                except OSError:
                    break

    def empty(self) -> None:
        """Room again: the ballast goes."""
        self.ballast.unlink(missing_ok=True)


@contextlib.contextmanager
def read_only_media(source: Path, mount_at: Path) -> Iterator[Path]:
    """source's files seen through a read-only bind mount at mount_at.

    As root (who writes whatever the permission bits say) only a read-only
    mount makes the folder really read-only; another user gets the same from
    taking the write permission away, so the folder itself is used then.
    """
    if os.geteuid() != 0:
        yield from _without_write_permission(source)
        return
    if shutil.which("mount") is None:
        pytest.skip("no mount command: read-only media cannot be made here")
    mount_at.mkdir(parents=True, exist_ok=True)
    result = _mount("--bind", str(source), str(mount_at))
    if result.returncode != 0:
        pytest.skip(f"cannot bind-mount a folder here ({result.stderr.strip() or 'not permitted'})")
    try:
        again = _mount("-o", "remount,ro,bind", str(mount_at))
        if again.returncode != 0:
            pytest.skip(f"cannot make a read-only mount here ({again.stderr.strip()})")
        probe = mount_at / ".probe"
        with contextlib.suppress(OSError):
            probe.touch()
        if probe.exists():
            pytest.skip("the read-only mount still takes writes here")
        yield mount_at
    finally:
        _umount(mount_at)


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    """path made read-only in a folder that stays writable (a file without write permission).

    As root the permission bits do not stop a write, so the file is made
    immutable (chattr +i), which access() and open() refuse even to root;
    another user gets the same from taking the file's write permission away.
    """
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & 0o555)
        try:
            yield path
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("cannot make a file immutable here (chattr +i needs root and a file system that has it)")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


NOBODY = 65534  # the unprivileged account of Debian and most systems


def as_another_account(run: Callable[[], object]) -> object:
    """run() as an account the permission bits apply to, and what it returned (picklable).

    Another user runs it here; root, who enters and reads every folder and
    file whatever their bits say, runs it in a forked child that has given
    up root for nobody. Whatever run() needs to import is imported before
    (nobody may not read the interpreter's own folders everywhere).
    """
    if os.geteuid() != 0:
        return run()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            data = pickle.dumps(("ok", run()))
        except BaseException as e:  # noqa: BLE001 - said to the parent, which fails the test with it
            data = pickle.dumps(("raised", repr(e)))
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        data = answer.read()
    os.waitpid(pid, 0)
    outcome, value = pickle.loads(data)
    assert outcome == "ok", value
    return value


def _without_write_permission(folder: Path) -> Iterator[Path]:
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    try:
        for p, mode in modes.items():
            p.chmod(mode & 0o555)
        yield folder
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
