"""Importing an LMS download: a Canvas zip of a class, each student a zipped workbook, most names not ASCII.

    python benchmarks/bench_lms_import.py [--students 200]

Builds a course of the whole workbook in a temporary folder, writes Canvas's Download Submissions zip
(``<name>[_late]_<user id>_<submission id>_workbook.zip``, every seventh marked late, member times set),
imports it with ``submissions.import_submissions`` and prints the seconds, how many students were imported,
how many display names came back exactly as written, the submission times set and the late marks kept.
"""

import argparse
import io
import shutil
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

from optgrade.course import build, imports, submissions

FIRST = ["josé", "zoë", "ann", "łukasz", "søren", "ngọc", "aleksandr", "mía", "françois", "li"]
LAST = ["garcía", "lee", "müller", "ñúñez", "dvořák", "nguyễn", "obrien", "smith", "kowalski", "øvrebø"]


def workbook_zip(source):
    """A student's upload: the course's notebooks and utils/ zipped under workbook/ (datasets left out)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_file() and "datasets" not in path.parts:
                archive.write(path, Path("workbook") / path.relative_to(source))
    return buffer.getvalue()


def canvas_zip(path, students, upload):
    """Canvas's download of ``students`` uploads; returns {user id: the name Canvas put in the file name}."""
    names = {}
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(students):
            name, uid = LAST[n % 10] + FIRST[(n // 10) % 10], str(10000 + n)
            late = "_late" if n % 7 == 0 else ""
            names[uid] = name
            info = zipfile.ZipInfo(f"{name}{late}_{uid}_{900000 + n}_workbook.zip", (2026, 11, 2, 10, n % 60, 0))
            archive.writestr(info, upload)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        course = build.build(tmp / "course")
        upload = workbook_zip(course.source("workbook"))
        download = tmp / "submissions.zip"
        names = canvas_zip(download, args.students, upload)
        size = download.stat().st_size / 2**20
        print(f"download: {size:.1f} MB, {len(names)} students, each upload {len(upload) / 2**20:.2f} MB")
        skipped = []
        start = time.perf_counter()
        submissions.import_submissions(course, download, "workbook", skipped)
        seconds = time.perf_counter() - start
        record = imports.load(course, "workbook")["students"]
        kept = sum(record.get(uid, {}).get("name") == unicodedata.normalize("NFC", n) for uid, n in names.items())
        times = sum((course.submitted(uid, "workbook") / "timestamp.txt").is_file() for uid in names)
        print(
            f"import: {seconds:.1f} s; imported {len(record)}; names kept exactly {kept} "
            f"({sum(not n.isascii() for n in names.values())} not ASCII); submission times {times}; "
            f"late marks {sum(entry['late'] for entry in record.values())}; not imported {len(skipped)}"
        )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
