"""Team libraries: `reader init --shared`, file modes, --annotator refused, and two real OS users
who each see the other's work and can neither change nor remove it (root only: CI)."""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.edits import Edits
from annotations.errors import TeamAnnotatorError
from annotations.library import Library, default_annotator
from annotations.records import Tag

from .conftest import ROOT

SAMPLE = "00e97159207a77b9"
GROUP, ALICE, BOB = "okurteam", "okur_alice", "okur_bob"


def my_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name


def test_init_shared_makes_setgid_sticky_group_folders(tmp_path: Path):
    folder = tmp_path / "team"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "init", "--shared", my_group(), str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for path in (folder, folder / "annotations", folder / "articles", folder / "state"):
        assert path.stat().st_mode & 0o7777 == 0o3770, path
    refused = subprocess.run(
        [sys.executable, "-m", "reader", "init", "--shared", "no-such-group", str(tmp_path / "x")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "no group" in refused.stderr


def test_a_team_librarys_files_are_the_group_s_to_read_and_their_creators_to_write(
    tmp_path: Path,
):
    from annotations.team import init_library
    from reader.core.importing import import_samples

    folder = tmp_path / "team"
    init_library(folder, my_group())
    old = os.umask(0o002)  # the usual umask of a team: it must not make files group-writable
    try:
        library = Library(folder)
        import_samples(library)
        Edits(library).tag(SAMPLE, "ceasefire")
        library.set_reading(SAMPLE, position=3)
    finally:
        os.umask(old)
    me = default_annotator()
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert files
    for path in files:
        mode = path.stat().st_mode & 0o777
        if path.parent.name == "state":
            assert mode == 0o600, path  # reading state: nobody else reads it
        else:
            assert mode & 0o040 and not mode & 0o022, (path, oct(mode))
    for path in folder.rglob("*"):
        if path.is_dir():
            assert path.stat().st_mode & 0o7777 == 0o3770, path  # new folders inherit
    assert (folder / "annotations" / f"{me}.jsonl").exists()
    assert (folder / "articles" / f"{me}.json").exists()
    with pytest.raises(TeamAnnotatorError, match="team library"):
        Library(folder, annotator=me + "x")
    assert Library(folder, annotator=me).annotator == me  # your own name is fine


# -- two real users ---------------------------------------------------------------------
def _can_make_users() -> bool:
    return os.geteuid() == 0 and all(shutil.which(c) for c in ("useradd", "groupadd"))


@pytest.fixture(scope="module")
def two_users() -> Iterator[tuple[str, str]]:
    if not _can_make_users():
        pytest.skip("needs root and useradd/groupadd to create real users (runs in CI)")
    made = []
    try:
        if not _exists(grp.getgrnam, GROUP):
            subprocess.run(["groupadd", GROUP], check=True)
            made.append(("groupdel", GROUP))
        for user in (ALICE, BOB):
            if not _exists(pwd.getpwnam, user):
                subprocess.run(["useradd", "-M", "-N", "-G", GROUP, user], check=True)
                made.insert(0, ("userdel", user))
        yield ALICE, BOB
    finally:
        for command, name in made:
            subprocess.run([command, name], check=False)


def _exists(lookup, name: str) -> bool:
    try:
        lookup(name)
        return True
    except KeyError:
        return False


def _run_as(user: str, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    gid = grp.getgrnam(GROUP).gr_gid
    return subprocess.run(
        argv,
        cwd=ROOT,
        env=env,
        user=pwd.getpwnam(user).pw_uid,
        group=gid,
        extra_groups=[gid],
        umask=0o002,  # what team members usually have: it must not open anyone's files
        capture_output=True,
        text=True,
    )


def interpreter_for(user: str) -> tuple[str, dict[str, str]]:
    """This interpreter if ``user`` may run it; else the system's of the same version with
    our packages on the path (an interpreter under /root is closed to other users)."""
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    try:
        if _run_as(user, [sys.executable, "-c", "import textual"], env).returncode == 0:
            return sys.executable, env
    except PermissionError:
        pass
    import sysconfig

    system = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])
    probe = [system, "-c", "import textual, orjson"]
    if os.access(system, os.X_OK) and _run_as(user, probe, env).returncode == 0:
        return system, env
    pytest.skip(f"no Python that {user} may run with this project's packages")


def as_user(user: str, home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real command as ``user`` (their uid, their groups)."""
    python, env = interpreter_for(user)
    result = _run_as(user, [python, "-m", "reader", *args], {**env, "HOME": str(home / user)})
    if check:
        assert result.returncode == 0, (args, result.stderr)
    return result


def python_as(user: str, code: str) -> subprocess.CompletedProcess:
    python, env = interpreter_for(user)
    return _run_as(user, [python, "-c", code], env)


@pytest.fixture
def base(two_users) -> Iterator[Path]:
    """A folder both users can reach (pytest's tmp_path is root's alone), with their homes."""
    folder = Path(tempfile.mkdtemp(prefix="okur-team-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        for user in two_users:
            (folder / user).mkdir()
            os.chown(folder / user, pwd.getpwnam(user).pw_uid, -1)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_two_users_see_each_others_work_and_cannot_touch_it(two_users, base: Path):
    alice, bob = two_users
    folder = base / "library"
    subprocess.run(  # by the administrator, as the docs say
        [sys.executable, "-m", "reader", "init", "--shared", GROUP, str(folder)],
        cwd=ROOT,
        check=True,
    )
    lib = ["--library", str(folder)]
    as_user(alice, base, *lib, "import", "--samples")
    as_user(alice, base, *lib, "tag", SAMPLE, "ceasefire")
    watcher = Library(folder, annotator="root")  # a running app's view (root reads all)
    watcher.tags_by_article()
    as_user(bob, base, *lib, "tag", SAMPLE, "mediation")
    assert watcher.changed_on_disk()  # a running app notices within its next poll
    assert sorted((t.annotator, t.tag) for t in watcher.records(Tag)) == [
        (alice, "ceasefire"),
        (bob, "mediation"),
    ]
    listed = json.loads(as_user(bob, base, *lib, "list", "--json").stdout)
    assert next(r for r in listed if r["id"] == SAMPLE)["tags"] == ["ceasefire", "mediation"]

    # bob cannot write as alice, nor untag, change or remove her work
    refused = as_user(bob, base, *lib, "--annotator", alice, "tag", SAMPLE, "x", check=False)
    assert refused.returncode == 2 and "team library" in refused.stderr
    as_user(bob, base, *lib, "untag", SAMPLE, "ceasefire")  # only bob's own: none
    journal = folder / "annotations" / f"{alice}.jsonl"
    attack = python_as(
        bob,
        "import os, sys\n"
        f"p = {str(journal)!r}\n"
        "results = []\n"
        "for act in (lambda: open(p, 'a').write('x'), lambda: os.unlink(p),\n"
        "            lambda: os.rename(p, p + '.x'), lambda: os.chmod(p, 0o666)):\n"
        "    try:\n"
        "        act(); results.append('done')\n"
        "    except OSError:\n"
        "        results.append('refused')\n"
        "print(','.join(results))\n",
    )
    assert attack.stdout.strip() == "refused,refused,refused,refused", attack.stderr
    forged = folder / "annotations" / f"{alice}-2.jsonl"
    fake = {"put": "tag", "rec": {"id": "f1", "article": SAMPLE, "annotator": alice,
                                   "created": "2099", "tag": "forged"}}
    python_as(bob, f"open({str(forged)!r}, 'w').write({json.dumps(fake)!r} + '\\n')")
    own_name = folder / "annotations" / f"{bob}.jsonl"
    python_as(bob, f"open({str(own_name)!r}, 'a').write({json.dumps(fake)!r} + '\\n')")
    seen = Library(folder, annotator="root")
    tags = sorted((t.annotator, t.tag) for t in seen.records(Tag))
    assert tags == [(alice, "ceasefire"), (bob, "mediation")]  # forgeries not shown
    assert any("not owned by the person" in w for w in seen.warnings)
    listed = json.loads(as_user(alice, base, *lib, "list", "--json").stdout)
    assert next(r for r in listed if r["id"] == SAMPLE)["tags"] == ["ceasefire", "mediation"]


def test_init_without_shared_is_personal_whatever_the_umask(tmp_path: Path):
    from annotations.team import init_library

    old = os.umask(0o002)
    try:
        init_library(tmp_path / "mine", None)
    finally:
        os.umask(old)
    assert (tmp_path / "mine").stat().st_mode & 0o777 == 0o755
    assert Library(tmp_path / "mine", annotator="someone").annotator == "someone"


def test_a_first_release_team_library_migrates_each_members_own_records(two_users, base: Path):
    """The first release's team setup (one annotations.json, group-writable): each member's
    first open moves their own records to their own files; nobody writes another's."""
    import orjson

    from reader.core.importing import import_samples

    alice, bob = two_users
    folder = base / "library"
    import_samples(Library(folder, annotator="setup"))
    tags = {
        str(n): {"id": f"t{n}", "article": SAMPLE, "annotator": who, "tag": tag,
                 "created": f"2026-11-0{n}T00:00:00Z"}
        for n, (who, tag) in enumerate([(alice, "ceasefire"), (bob, "mediation")], 1)
    }
    (folder / "annotations.json").write_bytes(orjson.dumps({"tags": tags}))
    gid = grp.getgrnam(GROUP).gr_gid
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, -1, gid)
        path.chmod(0o2775 if path.is_dir() else 0o664)  # as the first release's docs said
    lib = ["--library", str(folder)]

    def listed_tags(user: str) -> list[str]:
        rows = json.loads(as_user(user, base, *lib, "list", "--json").stdout)
        return next(r for r in rows if r["id"] == SAMPLE)["tags"]

    first = as_user(alice, base, *lib, "list", "--json")
    assert "Migrated your 1 annotation records" in first.stderr
    assert bob in first.stderr  # whose records wait for their owner
    assert listed_tags(alice) == ["ceasefire"]
    assert listed_tags(bob) == ["ceasefire", "mediation"]  # bob's first open: his own
    assert listed_tags(alice) == ["ceasefire", "mediation"]
    for user in (alice, bob):
        journal = folder / "annotations" / f"{user}.jsonl"
        assert pwd.getpwuid(journal.stat().st_uid).pw_name == user
