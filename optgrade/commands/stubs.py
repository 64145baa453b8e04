"""``optgrade stubs``: write utils/ stubs, the mistake search and the fingerprints; ``--check`` reports drift."""

from ..exercises import ROOT


def add(subcommands):
    stubs = subcommands.add_parser("stubs", help="regenerate utils/ stubs from solutions/")
    stubs.add_argument("--check", action="store_true", help="only report drift (exit 1 if any)")


def run(args, root=ROOT):
    from .. import fingerprints, mutants, stubs

    if args.check:
        stale = stubs.drifted(root)
        for path in stale:
            print(f"{path.relative_to(root)} differs from the stub generated from solutions/; run `optgrade stubs`")
        if mutants.drifted():
            print(f"{mutants.PATH.relative_to(ROOT)} differs from the mistake search's result; run `optgrade stubs`")
            stale.append(mutants.PATH)
        if fingerprints.drifted():
            print(f"{fingerprints.PATH.relative_to(ROOT)} differs from the mistake catalog's; run `optgrade stubs`")
            stale.append(fingerprints.PATH)
        return 1 if stale else 0
    for path in stubs.write(root):
        print(f"wrote {path.relative_to(root)}")
    table = mutants.write()
    print(f"wrote {mutants.PATH.relative_to(ROOT)}: the mistake search, per function")
    print("\n".join("  " + line for line in mutants.counts_table(table)))
    print(f"wrote {fingerprints.write().relative_to(ROOT)} ({fingerprints.PATH.stat().st_size:,} bytes)")
    return 0
