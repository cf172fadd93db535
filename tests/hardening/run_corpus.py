#!/usr/bin/env python3
"""The bad-input corpus: every command that reads a file, against every class of hostile input.

For each command in COMMANDS (a valid base invocation, and the options that name input files),
each input slot is replaced in turn by each bad input of BAD_INPUTS, and the run must end within
a time limit (a hang fails) with the expected exit code and a stderr matching the expected pattern
(`FILE:LINE:COLUMN` where a line is known). Where the command writes `--output FILE`, a failed
run must leave no file there (no partial output). Every base run must succeed with finite numbers
only (no nan, inf or NA cells). Extra cases (CASES) cover what is not a per-slot input: option
values, outputs onto devices and existing files, duplicated output paths, foreign databases.

A new command gets the same treatment by adding one entry to COMMANDS.

Usage: run_corpus.py (KAZMIG: the binary, KAZMIG_SOURCE_DIR: the repository)
       run_corpus.py --list            print the cases
       run_corpus.py -k PATTERN        only cases whose name contains PATTERN
Exit 0 when every case passes, 1 otherwise (each failure named, with stderr).
"""

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading

KAZMIG = os.environ.get("KAZMIG", "build/bin/kazmig")
SOURCE = os.environ.get("KAZMIG_SOURCE_DIR", ".")
FIX = os.path.join(SOURCE, "tests", "fixtures")
TIMEOUT = 60  # seconds; a run that takes longer hangs
FIFO_TIMEOUT = 15  # a run reading a pipe of a few bytes

# Non-finite numbers as they could appear in CSV, JSON or table output.
NON_FINITE_RE = re.compile(r"(?i)(?<![A-Za-z_])(nan|-?inf(inity)?|NA)(?![A-Za-z_])")

# Files written into the case folder before the runs: name -> contents.
FILES = {
    "pop0.csv": "region,value\nA,1000\nB,2000\nC,1500\n",
    "pop1.csv": "region,value\nA,1010\nB,1990\nC,1520\n",
    "births.csv": "region,value\nA,12\nB,20\nC,18\n",
    "deaths.csv": "region,value\nA,8\nB,25\nC,10\n",
    "flows_year.csv": "orig,dest,flow,year\nA,B,10,2020\nB,A,5,2020\nA,C,3,2020\nA,B,12,2021\n"
    "B,A,6,2021\nA,C,4,2021\n",
    "moves.csv": "user_id,home,destination,migration_date,uncertainty,num_error_day\n"
    "u1,A,B,20200115,0,0\nu2,B,A,20200301,0,0\nu3,A,B,20200520,0,0\n",
    "residents.csv": "user_id,location,start_date,end_date\nu1,A,20190101,20200114\n"
    "u2,B,20190101,20200228\nu3,A,20190101,20200519\nu4,B,20190101,20201231\n",
    "targets.csv": "region,value\nA,1000\nB,2000\n",
    "truth.csv": "user_id,home,destination,move_date\nu1,A,B,20200115\nu2,B,A,20200301\n",
    "series.csv": "region,year,value\n75,2020,2000000\n71,2020,1200000\n",
    "tidy_flows.csv": "orig,dest,year,flow\n75,71,2020,1000\n71,75,2020,800\n",
    "tidy_stocks.csv": "pob,por,year,stock\n75,71,2020,1000\n71,75,2020,800\n",
    "tidy_composition.csv": "period,group,persons,share_pct\n2019,Russian,32800,70\n"
                            "2019,German,3100,\n2013-01..2013-07,Russian,,70.9\n",
    "weights.csv": "region,value\n" + "".join(
        "%s,%d\n" % (kato, 500000 + 10000 * idx) for idx, kato in enumerate(
            "10 11 15 19 23 27 31 33 35 39 43 47 55 59 61 62 63 71 75 79".split())),
    "cw_input.csv": "region,value\n75,100\n71,50\n",
    "risk_components.csv": "region,component,value,direction\nA,unemployment,4,+\n"
    "B,unemployment,6,+\nC,unemployment,9,+\nA,income,120,-\nB,income,100,-\nC,income,80,-\n",
    "risk_weights.csv": "component,weight\nunemployment,0.5\nincome,0.5\n",
    "risk_rules.csv": "rule,component,test,threshold,years\nhigh,unemployment,>=,6,1\n",
    "scenario.json": '{"name": "corpus", "changes": [{"type": "internal-transfer", '
                     '"persons": 100, "origins": ["Turkistan"], "destinations": ["Akmola"]}]}\n',
    "policy_panel.csv": "region,year,value\n" + "".join(
        "%s,%d,%g\n" % (region, year, base + year - 2000 + (5 if region < "C" and year >= 2004
                                                              else 0))
        for region, base in [("A", 1), ("B", 3), ("C", 2), ("D", 4)]
        for year in range(2000, 2008)),
    "measures.csv": "id,date,title,kind,regions_affected,source\n"
    "my-measure,2019-03-01,A programme,programme,75;71,note\n",
    "rates.csv": "unit,year,value\nA,2000,-3.5\nA,2001,-2\nA,2002,-4.25\nA,2003,-1\n"
    "B,2000,6\nB,2001,4.5\nB,2002,7\nB,2003,5.5\n",
    "scenario.csv": "region,factor,change,unit\nnorth,income,20,%\nTurkistan,unemployment,-2,points\n",
    "survey.csv": "area,move_in,move_out,adults\nKazakhstan,250000,600000,12500000\n",
    "diaspora.csv": "country,stock\nUZB,3000000\nCHN,1500000\n",
    "model_panel.csv": (
        "y,x1,x2,region,year\n"
        "3,0.246,1.484,R0,2001\n"
        "4,0.885,1.48,R0,2001\n"
        "2,-0.942,0.931,R0,2002\n"
        "0,0.298,1.802,R0,2002\n"
        "2,-0.062,0.493,R0,2003\n"
        "1,0.148,0.026,R0,2003\n"
        "2,-0.441,1.833,R1,2001\n"
        "0,-0.681,1.594,R1,2001\n"
        "2,0.235,0.253,R1,2002\n"
        "3,0.743,0.419,R1,2002\n"
        "1,0.965,1.745,R1,2003\n"
        "3,0.923,1.078,R1,2003\n"
        "2,-0.59,1.882,R2,2001\n"
        "3,0.933,1.787,R2,2001\n"
        "2,-0.278,0.332,R2,2002\n"
        "2,-0.87,0.603,R2,2002\n"
        "1,-0.993,1.356,R2,2003\n"
        "1,-0.38,1.637,R2,2003\n"
        "4,-0.368,0.962,R3,2001\n"
        "1,-0.886,1.95,R3,2001\n"
        "2,0.5,1.69,R3,2002\n"
        "6,0.575,0.732,R3,2002\n"
        "2,-0.982,0.093,R3,2003\n"
        "7,0.91,0.393,R3,2003\n"
    ),
}

# The bad inputs for a reader of whole files (JSON): /dev/zero is left out only because reading
# its 256 MiB limit (io::kMaxWholeFileBytes) takes that much memory in `make test`.
JSON_KINDS = ["missing", "directory", "empty", "binary", "fifo"]

# Each command: a base command line ({NAME} is a file of FILES or a fixture path) and its input
# slots: option (or positional index as '#N') -> base file. `output`: the command takes --output.
COMMANDS = [
    dict(name="crosswalk", argv=["crosswalk", "--from", "kz-2018", "--to", "kz-2022",
                                 "--input", "{cw_input.csv}", "--weights", "{weights.csv}"],
         slots=["--input", "--weights"]),
    dict(name="indicators", argv=["indicators", "--flows", FIX + "/indicators/hyp_flows.csv",
                                  "--population", FIX + "/indicators/hyp_population.csv",
                                  "--distance", FIX + "/indicators/hyp_distance.csv"],
         slots=["--flows", "--population", "--distance"]),
    dict(name="indicators regions", argv=["indicators", "regions", "--flows",
                                          FIX + "/indicators/hyp_flows.csv", "--population",
                                          FIX + "/indicators/hyp_population.csv"],
         slots=["--flows", "--population"]),
    dict(name="indicators age", argv=["indicators", "age", "--rates",
                                      FIX + "/indicators/age_rates.csv"],
         slots=["--rates"]),
    dict(name="indicators maup", argv=["indicators", "maup", "--flows",
                                       FIX + "/indicators/grid_flows.csv", "--population",
                                       FIX + "/indicators/grid_population.csv", "--adjacency",
                                       FIX + "/indicators/grid_edges.csv", "--k", "2,4",
                                       "--replications", "4"],
         slots=["--flows", "--population", "--adjacency"]),
    dict(name="indicators trends", argv=["indicators", "trends", "--flows", "{flows_year.csv}"],
         slots=["--flows"], na_documented=True),
    dict(name="indicators components", argv=["indicators", "components", "--flows",
                                             FIX + "/indicators/hyp_flows.csv"],
         slots=["--flows"]),
    dict(name="estimate stocks", argv=["estimate", "stocks", "--stock1",
                                       FIX + "/estimate/f1_s1.csv", "--stock2",
                                       FIX + "/estimate/f1_s2.csv"],
         slots=["--stock1", "--stock2"]),
    dict(name="estimate ipf", argv=["estimate", "ipf", "--seed", FIX + "/estimate/cm2_seed.csv",
                                    "--row-totals", FIX + "/estimate/cm2_rows.csv",
                                    "--col-totals", FIX + "/estimate/cm2_cols.csv"],
         slots=["--seed", "--row-totals", "--col-totals"]),
    dict(name="estimate net", argv=["estimate", "net", "--prior", FIX + "/estimate/net_prior.csv",
                                    "--net", FIX + "/estimate/net.csv"],
         slots=["--prior", "--net"]),
    dict(name="estimate rescale-net", argv=["estimate", "rescale-net", "--net",
                                            FIX + "/estimate/net.csv"],
         slots=["--net"]),
    dict(name="estimate residual", argv=["estimate", "residual", "--pop0", "{pop0.csv}", "--pop1",
                                         "{pop1.csv}", "--births", "{births.csv}", "--deaths",
                                         "{deaths.csv}"],
         slots=["--pop0", "--pop1", "--births", "--deaths"]),
    dict(name="model ppml", argv=["model", "ppml", "--data", "{model_panel.csv}", "--y", "y",
                                  "--x", "x1,x2", "--fe", "region,year"],
         slots=["--data"]),
    dict(name="model ols", argv=["model", "ols", "--data", "{model_panel.csv}", "--y", "y", "--x",
                                 "x1,x2", "--fe", "region,year", "--cluster", "region"],
         slots=["--data"]),
    dict(name="traces detect", argv=["traces", "detect", "--input",
                                     FIX + "/traces/edge_cases.csv"],
         slots=["--input"], events=True),
    dict(name="traces curve", argv=["traces", "curve", "--input", FIX + "/traces/edge_cases.csv",
                                    "--intervals", "30,60", "--buffers", "7"],
         slots=["--input"], events=True),
    dict(name="traces baseline", argv=["traces", "baseline", "--input",
                                       FIX + "/traces/edge_cases.csv"],
         slots=["--input"], events=True),
    dict(name="traces flows", argv=["traces", "flows", "--moves", "{moves.csv}", "--population",
                                    "{targets.csv}", "--residents", "{residents.csv}"],
         slots=["--moves", "--population", "--residents"]),
    dict(name="traces score", argv=["traces", "score", "--moves", "{moves.csv}", "--truth",
                                    "{truth.csv}"],
         slots=["--moves", "--truth"]),
    dict(name="risk", argv=["risk", "--data", "{risk_components.csv}", "--weights",
                            "{risk_weights.csv}", "--rules", "{risk_rules.csv}", "--year", "2024",
                            "--draws", "50"],
         slots=["--data", "--weights", "--rules"]),
    # Scenario files (JSON) of the projection; short chains and few draws keep it quick.
    dict(name="project", argv=["project", "--dataset", "kz", "--from", "2024", "--to", "2026",
                               "--draws", "20", "--iterations", "600", "--burn-in", "200",
                               "--no-store", "--scenario", "{scenario.json}"],
         slots=["--scenario"], kinds=JSON_KINDS, na_documented=True),
    dict(name="project cohort",
         argv=["project", "cohort", "--population", FIX + "/project/hand_population.csv",
               "--fertility", FIX + "/project/hand_fertility.csv", "--survival",
               FIX + "/project/hand_survival.csv", "--survival-kind", "ratio", "--migration",
               FIX + "/project/hand_migration.csv", "--international",
               FIX + "/project/hand_international.csv", "--from", "2020", "--to", "2030"],
         slots=["--population", "--fertility", "--survival", "--migration", "--international"]),
    dict(name="project fit", argv=["project", "fit", "--series", "{rates.csv}", "--iterations",
                                   "1200", "--burn-in", "200", "--thin", "2"],
         slots=["--series"]),
    dict(name="model gravity", argv=["model", "gravity", "--data",
                                     FIX + "/model/gravity_flows.csv", "--cost-var", "dist",
                                     "--cost", "pow", "--dest-vars", "pop_d", "--constraint",
                                     "production", "--format", "json"],
         slots=["--data"]),
    # The national row of a scenario has no covariate changes (NA, documented in docs/factors.md).
    dict(name="potential scenario", argv=["potential", "--scenario", "{scenario.csv}"],
         slots=["--scenario"], na_documented=True),
    dict(name="potential survey", argv=["potential", "--survey", "{survey.csv}"],
         slots=["--survey"]),
    dict(name="potential diaspora", argv=["potential", "--diaspora", "{diaspora.csv}"],
         slots=["--diaspora"]),
    # Whole-file readers (GeoJSON): the bad inputs that are not built from a CSV header.
    dict(name="geo simplify", argv=["geo", "simplify", "--input",
                                    SOURCE + "/data/kz/regions-2022.geojson"],
         slots=["--input"], kinds=JSON_KINDS),
    dict(name="data import tidy-series",
         argv=["data", "import", "{series.csv}", "--format", "tidy-series", "--indicator",
               "test_population", "--unit", "persons", "--source", "test", "--dataset", "corpus"],
         slots=["#2"], output=False, db=True),
    dict(name="data import tidy-flows",
         argv=["data", "import", "{tidy_flows.csv}", "--format", "tidy-flows", "--indicator",
               "test_flows", "--unit", "persons", "--source", "test", "--dataset", "corpus"],
         slots=["#2"], output=False, db=True),
    dict(name="data import tidy-stocks",
         argv=["data", "import", "{tidy_stocks.csv}", "--format", "tidy-stocks", "--indicator",
               "test_stocks", "--unit", "persons", "--source", "test", "--dataset", "corpus"],
         slots=["#2"], output=False, db=True),
    dict(name="data import tidy-composition",
         argv=["data", "import", "{tidy_composition.csv}", "--format", "tidy-composition",
               "--indicator", "test_composition", "--unit", "persons", "--source", "test",
               "--dataset", "corpus"],
         slots=["#2"], output=False, db=True),
    dict(name="policy effect", argv=["policy", "effect", "--series", "{policy_panel.csv}",
                                     "--start", "2004", "--treated", "A,B", "--format", "json"],
         slots=["--series"]),
    dict(name="policy list", argv=["policy", "list", "--measures", "{measures.csv}", "--format",
                                   "json"],
         slots=["--measures"]),
]

LOCATED = r"{path}:\d+(:\d+)?: "  # FILE:LINE[:COLUMN]:

# Cases known to fail, each with the reason and where the fix belongs; they are run and reported
# (XFAIL), and do not fail the corpus. A case listed here that passes is reported as XPASS: take
# it off the list.
XFAIL = {}


def derived(tmp, kind, valid_path):
    """A bad file made from the valid input's header and first row."""
    with open(valid_path, "rb") as f:
        lines = f.read().split(b"\n")
    header, row = lines[0], lines[1]
    fields = row.split(b",")
    if kind == "nul_in_row":
        fields[1] = fields[1][:1] + b"\0" + fields[1][1:]
        body = header + b"\n" + b",".join(fields) + b"\n"
    elif kind == "endless_record":
        body = header + b"\n" + b"x" * (17 << 20)
    elif kind == "not_utf8":
        fields[0] = b"\x81\x81"  # invalid UTF-8, and not Windows-1251 text either
        body = header + b"\n" + b",".join(fields) + b"\n"
    else:  # ragged: one field where the header has several
        body = header + b"\n" + fields[0] + b"\n"
    path = os.path.join(tmp, "bad", "%s-%s" % (kind, os.path.basename(valid_path)))
    with open(path, "wb") as f:
        f.write(body)
    return path


def bad_inputs(tmp):
    """Bad inputs: name -> (path or None for a FIFO, stderr pattern for a CSV reader, the
    pattern for the event readers). `{path}` in a pattern is the input's path, escaped."""
    def write(name, data):
        path = os.path.join(tmp, "bad", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    os.makedirs(os.path.join(tmp, "bad", "a_directory"), exist_ok=True)
    return {
        "missing": (os.path.join(tmp, "bad", "missing.csv"), r"{path}: cannot open",
                    r"{path}: cannot open"),
        "directory": (os.path.join(tmp, "bad", "a_directory"), r"{path}: .*directory",
                      r"{path}: is a directory"),
        "empty": (write("empty.csv", b""), r"{path}(:1)?: empty", r"{path}(:1)?: empty"),
        "dev_zero": ("/dev/zero", r"/dev/zero(:1:1)?: NUL byte|/dev/zero: .*not a regular file",
                     r"/dev/zero: .*not a regular file"),
        # Built from the valid file's header (see derived()), so that the reader gets past it.
        "nul_in_row": ("derived", r"{path}:2:2: NUL byte", r"{path}:2(:\d+)?: "),
        "endless_record": ("derived", r"{path}:2: record longer than",
                           r"{path}:2(:\d+)?: "),
        "wide_header_dup": (write("wide.csv", (",".join("c%d" % i for i in range(80000)) +
                                               ",C5\n1\n").encode()),
                            r"{path}:1:80001: duplicated column name",
                            r"{path}:1(:\d+)?: "),
        "not_utf8": ("derived", LOCATED, LOCATED),
        "ragged": ("derived", r"{path}:2:2: ragged row", r"{path}:2(:\d+)?: "),
        "binary": (write("binary.csv", bytes(range(256)) * 4), LOCATED, LOCATED),
        "fifo": (None, r"{path}: .*(pipe|FIFO|regular file)", r"{path}: .*(pipe|FIFO|regular)"),
    }


class Failure(Exception):
    pass


def run(argv, tmp, env_extra=None, timeout=TIMEOUT, fifo=None):
    env = dict(os.environ)
    env.setdefault("KAZMIG_DB", os.path.join(tmp, "kazmig.db"))
    env["KAZMIG_DATA_DIR"] = os.path.join(SOURCE, "data", "kz")
    if env_extra:
        env.update(env_extra)
    writer = None
    if fifo is not None:
        path, data = fifo
        # Writes the contents once, as `<(...)` does; a second open by the command would hang.
        def feed():
            try:
                fd = os.open(path, os.O_WRONLY)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
            except OSError:
                pass
        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
    try:
        proc = subprocess.run([KAZMIG] + argv, capture_output=True, env=env, timeout=timeout,
                              cwd=tmp)
    except subprocess.TimeoutExpired:
        if fifo is not None:  # unblock the writer
            try:
                os.close(os.open(fifo[0], os.O_RDONLY | os.O_NONBLOCK))
            except OSError:
                pass
        raise Failure("hangs: no exit within %d s" % timeout)
    return proc


def expand(argv, files):
    out = []
    for word in argv:
        m = re.fullmatch(r"\{(.+)\}", word)
        out.append(files[m.group(1)] if m else word)
    return out


def slot_index(argv, slot):
    if slot.startswith("#"):
        return int(slot[1:])
    return argv.index(slot) + 1


def check_finite(stdout, what, allow_na=False):
    """No nan or inf anywhere; no NA cell either unless the command documents NA (allow_na: the
    indicators define NA for undefined values, docs/indicators.md)."""
    text = stdout.decode("utf-8", "replace")
    for line in text.splitlines():
        for field in re.split(r"[,\s:\[\]{}]+", line):
            field = field.strip('"')
            if allow_na and field == "NA":
                continue
            if NON_FINITE_RE.fullmatch(field):
                raise Failure("%s: non-finite number in the output: %r" % (what, line))


def command_cases(tmp, files, bad):
    cases = []
    for spec in COMMANDS:
        base = expand(spec["argv"], files)
        has_output = spec.get("output", True)

        def base_case(spec=spec, base=base, has_output=has_output):
            argv = list(base)
            if has_output:
                argv += ["--output", os.path.join(tmp, "base-out.txt")]
            proc = run(argv, tmp)
            if proc.returncode != 0:
                raise Failure("base run exit %d: %s" % (proc.returncode, proc.stderr.decode()))
            if has_output:
                with open(os.path.join(tmp, "base-out.txt"), "rb") as f:
                    check_finite(f.read(), "base run", spec.get("na_documented", False))
                os.remove(os.path.join(tmp, "base-out.txt"))
        cases.append(("%s: base run succeeds, finite output" % spec["name"], base_case))

        for slot in spec["slots"]:
            idx = slot_index(base, slot)
            valid_path = base[idx]
            for bad_name, (path, csv_pattern, event_pattern) in bad.items():
                if "kinds" in spec and bad_name not in spec["kinds"]:
                    continue
                pattern = event_pattern if spec.get("events") else csv_pattern
                if "kinds" in spec:  # a whole-file reader: FILE: or FILE:LINE: and a reason
                    pattern = r"{path}(:\d+)*: "

                def case(spec=spec, base=base, idx=idx, path=path, pattern=pattern,
                         bad_name=bad_name, valid_path=valid_path, has_output=has_output,
                         number=len(cases)):
                    argv = list(base)
                    fifo = None
                    if path == "derived":
                        path = derived(tmp, bad_name, valid_path)
                    if path is None:
                        # A FIFO of its own per case: a command that refuses a FIFO without
                        # opening it leaves its case's writer thread waiting to open the path,
                        # and a late writer must not feed the next case's FIFO.
                        path = os.path.join(tmp, "fifo-%d-%d" % (os.getpid(), number))
                        if os.path.exists(path):
                            os.remove(path)
                        os.mkfifo(path)
                        with open(valid_path, "rb") as f:
                            fifo = (path, f.read())
                    argv[idx] = path
                    out = os.path.join(tmp, "out-must-not-exist.txt")
                    if os.path.exists(out):
                        os.remove(out)
                    if has_output:
                        argv += ["--output", out]
                    db_before = None
                    if spec.get("db") and os.path.exists(os.path.join(tmp, "kazmig.db")):
                        with open(os.path.join(tmp, "kazmig.db"), "rb") as f:
                            db_before = f.read()
                    try:
                        proc = run(argv, tmp, fifo=fifo,
                                   timeout=FIFO_TIMEOUT if fifo is not None else TIMEOUT)
                    finally:
                        if fifo is not None and os.path.exists(path):
                            os.remove(path)
                    stderr = proc.stderr.decode("utf-8", "replace")
                    if bad_name == "fifo" and proc.returncode == 0:
                        # Read once, as a regular file would be: fine.
                        if has_output:
                            with open(out, "rb") as f:
                                check_finite(f.read(), "fifo run",
                                             spec.get("na_documented", False))
                            os.remove(out)
                        return
                    if proc.returncode != 3:
                        raise Failure("exit %d, expected 3; stderr: %s" % (proc.returncode,
                                                                            stderr.strip()))
                    want = pattern.replace("{path}", re.escape(path))
                    if not re.search(want, stderr):
                        raise Failure("stderr does not match %r: %s" % (want, stderr.strip()))
                    if has_output and os.path.exists(out):
                        os.remove(out)
                        raise Failure("a failed run left its --output file")
                    leftovers = [n for n in os.listdir(tmp) if ".tmp-" in n]
                    if leftovers:
                        raise Failure("temporary files left: %s" % leftovers)
                    if db_before is not None:
                        with open(os.path.join(tmp, "kazmig.db"), "rb") as f:
                            if f.read() != db_before:
                                raise Failure("a failed import changed the database")
                cases.append(("%s %s=%s: exit 3, located message" % (spec["name"], slot,
                                                                      bad_name), case))
    return cases


def expect(argv, tmp, code, pattern, env_extra=None, finite=False):
    proc = run(argv, tmp, env_extra=env_extra)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != code:
        raise Failure("exit %d, expected %d; stderr: %s" % (proc.returncode, code, stderr.strip()))
    if pattern and not re.search(pattern, stderr):
        raise Failure("stderr does not match %r: %s" % (pattern, stderr.strip()))
    if finite:
        check_finite(proc.stdout, "output")
    return proc


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def extra_cases(tmp, files):
    """Cases that are not one bad input file: option values, numbers at the limits, outputs."""
    cases = []

    def add(name, fn):
        cases.append((name, fn))

    # --- bad option values: usage errors (exit 2) -------------------------------------------
    ipf = ["estimate", "ipf", "--seed", FIX + "/estimate/cm2_seed.csv", "--row-totals",
           FIX + "/estimate/cm2_rows.csv", "--col-totals", FIX + "/estimate/cm2_cols.csv"]
    net = ["estimate", "net", "--prior", FIX + "/estimate/net_prior.csv", "--net",
           FIX + "/estimate/net.csv"]
    fit = ["project", "fit", "--series", files["rates.csv"]]
    for label, argv in [("ipf --tol 0", ipf + ["--tol", "0"]),
                        ("ipf --tol -1", ipf + ["--tol", "-1"]),
                        ("ipf --max-iterations 0", ipf + ["--max-iterations", "0"]),
                        ("net --tol 0", net + ["--tol", "0"]),
                        ("net --max-iterations 0", net + ["--max-iterations", "0"]),
                        ("stocks --tol 0", ["estimate", "stocks", "--stock1",
                                            FIX + "/estimate/f1_s1.csv", "--stock2",
                                            FIX + "/estimate/f1_s2.csv", "--tol", "0"]),
                        ("kz-od --total 0", ["estimate", "kz-od", "--total", "0"]),
                        ("kz-od --total -5", ["estimate", "kz-od", "--total", "-5"]),
                        ("project fit --chains 0", fit + ["--chains", "0"]),
                        ("project fit --thin 0", fit + ["--thin", "0"]),
                        ("project fit --burn-in 30000", fit + ["--burn-in", "30000"]),
                        ("project fit --iterations -5", fit + ["--iterations", "-5"]),
                        ("project fit --chains 1000", fit + ["--chains", "1000"]),
                        ("maup --replications 0",
                         ["indicators", "maup", "--flows", FIX + "/indicators/grid_flows.csv",
                          "--population", FIX + "/indicators/grid_population.csv",
                          "--adjacency", FIX + "/indicators/grid_edges.csv", "--replications",
                          "0"])]:
        add("option %s: usage error, exit 2" % label,
            lambda argv=argv: expect(argv, tmp, 2, r"kazmig: error: "))

    # --- numbers at the limits: exit 3 or finite output ------------------------------------
    big_stock = write(tmp, "big_s1.csv", "pob,por,stock\nA,A,1e308\nA,B,1e308\nB,A,1\nB,B,1e308\n")
    big_stock2 = write(tmp, "big_s2.csv", "pob,por,stock\nA,A,1e308\nA,B,1\nB,A,1e308\nB,B,1\n")

    def big_stocks():
        proc = run(["estimate", "stocks", "--stock1", big_stock, "--stock2", big_stock2], tmp)
        if proc.returncode not in (1, 3):
            if proc.returncode == 0:
                check_finite(proc.stdout, "1e308 stocks")
                return
            raise Failure("exit %d: %s" % (proc.returncode, proc.stderr.decode()))
        if not re.search(r"kazmig: error: ", proc.stderr.decode()):
            raise Failure("no error message: %s" % proc.stderr.decode())
    add("estimate stocks with 1e308 stocks: no crash, no non-finite output", big_stocks)

    infeasible_seed = write(tmp, "zero_row_seed.csv", "orig,dest,flow\nA,A,0\nA,B,0\nB,A,1\nB,B,1\n")
    infeasible_rows = write(tmp, "zero_row_rows.csv", "region,value\nA,5\nB,5\n")
    infeasible_cols = write(tmp, "zero_row_cols.csv", "region,value\nA,5\nB,5\n")
    add("estimate ipf with a zero seed row and a positive target: exit 1 with the figures",
        lambda: expect(["estimate", "ipf", "--seed", infeasible_seed, "--row-totals",
                        infeasible_rows, "--col-totals", infeasible_cols], tmp, 1,
                       r"(?i)(converge|infeasible|zero)"))

    diag = write(tmp, "diag_flows.csv", "orig,dest,flow\nA,A,1e20\nA,B,10\nB,A,5\nB,B,1e20\n")
    plain = write(tmp, "nodiag_flows.csv", "orig,dest,flow\nA,B,10\nB,A,5\n")

    def diagonal_ignored():
        a = expect(["indicators", "--flows", diag, "--format", "json"], tmp, 0, None)
        b = expect(["indicators", "--flows", plain, "--format", "json"], tmp, 0, None)
        ta = re.search(rb'"total_flow":\s*([0-9.e+-]+)', a.stdout)
        tb = re.search(rb'"total_flow":\s*([0-9.e+-]+)', b.stdout)
        if not ta or not tb or float(ta.group(1)) != float(tb.group(1)):
            raise Failure("a diagonal of 1e20 changes total_flow: %s vs %s" %
                          (ta and ta.group(1), tb and tb.group(1)))
    add("indicators: a diagonal of 1e20 (ignored) does not change total_flow", diagonal_ignored)

    huge = write(tmp, "huge_flows.csv", "orig,dest,flow\nA,B,1e308\nB,A,1e308\nA,C,1\nC,B,1\n")
    add("indicators with flows of 1e308: exit 3 or finite output",
        lambda: huge_ok(["indicators", "--flows", huge], tmp))

    # --- silent wrong answers that must be errors --------------------------------------------
    risk = ["risk", "--data", files["risk_components.csv"], "--draws", "20"]
    for label, extra in [("--draws 0", ["--draws", "0"]), ("--winsorise 50", ["--winsorise", "50"]),
                         ("--normalise rank", ["--normalise", "rank"]),
                         ("--aggregate harmonic", ["--aggregate", "harmonic"])]:
        add("risk option %s: usage error, exit 2" % label,
            lambda extra=extra: expect(risk + extra, tmp, 2, re.escape(extra[0])))
    risk_bad = [
        ("weights naming an unknown component", "--weights", "w_unknown.csv",
         "component,weight\nunemployment,0.5\nhousing,0.5\n", r":3:1: .*unknown component"),
        ("weights not summing to one", "--weights", "w_sum.csv",
         "component,weight\nunemployment,0.7\nincome,0.7\n", r":3:2: .*sum to 1.4"),
        ("a negative weight", "--weights", "w_neg.csv",
         "component,weight\nunemployment,1.5\nincome,-0.5\n", r":3:2: .*negative"),
        ("a component without a value for a region", "--data", "gap.csv",
         "region,component,value,direction\nA,u,1,+\nB,u,2,+\nA,v,3,-\n",
         r":4:2: component 'v' has no value for region 'B'"),
        ("a direction other than + or -", "--data", "dir.csv",
         "region,component,value,direction\nA,u,1,+\nB,u,2,++\n", r":3:4: .*direction"),
        ("a value twice", "--data", "twice.csv",
         "region,component,value,direction\nA,u,1,+\nA,u,2,+\n", r":3:2: .*twice"),
        ("rules naming an unknown component", "--rules", "r_unknown.csv",
         "rule,component,test,threshold,years\nx,aridity,>=,1,1\n", r":2:2: .*unknown component"),
        ("rules with years 0", "--rules", "r_years.csv",
         "rule,component,test,threshold,years\nx,income,>=,1,0\n", r":2:5: .*years"),
    ]
    for label, option, name, contents, pattern in risk_bad:
        path = write(tmp, name, contents)
        argv = ["risk", "--data", files["risk_components.csv"], "--draws", "20"]
        if option == "--data":
            argv = ["risk", "--data", path, "--draws", "20"]
        else:
            argv += [option, path]
        add("risk with %s: exit 3 at FILE:LINE:COLUMN" % label,
            lambda argv=argv, path=path, pattern=pattern:
            expect(argv, tmp, 3, re.escape(path) + pattern))

    dup_targets = write(tmp, "dup_targets.csv", "region,value\nA,1000\nA,2000\nB,2000\n")
    add("traces flows with a duplicated population target: exit 3 at its line",
        lambda: expect(["traces", "flows", "--moves", files["moves.csv"], "--population",
                        dup_targets, "--residents", files["residents.csv"]], tmp, 3,
                       re.escape(dup_targets) + r":3(:1)?: .*(duplicat|twice)"))
    pop1_missing = write(tmp, "pop1_missing.csv", "region,value\nA,1010\nB,1990\n")
    add("estimate residual with a region missing from --pop1: exit 3",
        lambda: expect(["estimate", "residual", "--pop0", files["pop0.csv"], "--pop1",
                        pop1_missing, "--births", files["births.csv"], "--deaths",
                        files["deaths.csv"]], tmp, 3, r"'?C'?"))
    typo_edges = write(tmp, "typo_edges.csv", "a,b\nu00,u01\nu00,u1O\n")
    add("indicators maup with an adjacency edge naming an unknown unit: exit 3 at its line",
        lambda: expect(["indicators", "maup", "--flows", FIX + "/indicators/grid_flows.csv",
                        "--population", FIX + "/indicators/grid_population.csv",
                        "--adjacency", typo_edges], tmp, 3,
                       re.escape(typo_edges) + r":3:2: .*u1O"))
    header_flows = write(tmp, "header_only_flows.csv", "orig,dest,flow\n")
    header_pop = write(tmp, "header_only_pop.csv", "region,value\n")
    for label, argv, path in [
            ("indicators regions", ["indicators", "regions", "--flows", header_flows], header_flows),
            ("indicators", ["indicators", "--flows", header_flows], header_flows),
            ("indicators components", ["indicators", "components", "--flows", header_flows],
             header_flows),
            ("indicators with header-only population",
             ["indicators", "--flows", FIX + "/indicators/hyp_flows.csv", "--population",
              header_pop], header_pop),
            ("estimate residual header-only pop1",
             ["estimate", "residual", "--pop0", files["pop0.csv"], "--pop1", header_pop,
              "--births", files["births.csv"], "--deaths", files["deaths.csv"]], header_pop),
            ("estimate rescale-net", ["estimate", "rescale-net", "--net", header_pop], header_pop)]:
        add("%s with a header-only file: exit 3 naming it" % label,
            lambda argv=argv, path=path: expect(argv, tmp, 3, re.escape(path) + r"(:\d+)?: "))
    year_1700 = write(tmp, "series_1700.csv", "region,year,value\n75,1700,5\n")
    add("data import of year 1700: rejected as implausible",
        lambda: expect(["data", "import", year_1700, "--format", "tidy-series", "--indicator",
                        "old_population", "--unit", "persons", "--source", "test", "--dataset",
                        "corpus"], tmp, 3, r"1700"))
    internal = write(tmp, "internal_migration_2025.csv",
                     "region,month,arrivals,departures,net\nAbay,Total,10,4,6\n")
    add("data import --year 1700: usage error naming the accepted range",
        lambda: expect(["data", "import", internal, "--format", "internal-migration", "--year",
                        "1700", "--dataset", "corpus"], tmp, 2, r"1900\.\.2100"))
    overflow = write(tmp, "overflow.json",
                     '{"indicator": "births", "values": {"2023":\n  {"750000000": 1e400}}}')
    add("data import of a KATO JSON number overflow: exit 3 at the line",
        lambda: expect(["data", "import", overflow, "--format", "kato-json", "--dataset",
                        "corpus"], tmp, 3, re.escape(overflow) + r":2:17: number 1e400"))
    countries = write(tmp, "countries.csv", "origin_iso,origin_name,origin_flag,originregion_name\n"
                      "KAZ,Kazakhstan,x,y\nRUS,Russia,x,y\n")
    header_stock = write(tmp, "header_only_stock.csv",
                         "year,orig,orig_region,dest,dest_region,stock\n")
    add("data import of a header-only UN DESA table: exit 3, no data rows",
        lambda: expect(["data", "import", header_stock, "--format", "undesa-stock", "--countries",
                        countries, "--dataset", "corpus"], tmp, 3,
                       re.escape(header_stock) + r"(:\d+)?: no data rows"))

    # --- project cohort: schedules that cannot be right, located ---------------------------------
    cohort = ["project", "cohort", "--population", FIX + "/project/hand_population.csv",
              "--fertility", FIX + "/project/hand_fertility.csv", "--survival",
              FIX + "/project/hand_survival.csv", "--survival-kind", "ratio", "--from", "2020",
              "--to", "2030"]

    def cohort_with(option, name, text):
        argv = list(cohort)
        argv[argv.index(option) + 1] = write(tmp, name, text)
        return argv, os.path.join(tmp, name)

    for label, option, name, text, where in [
            ("negative population", "--population", "cohort_negative.csv",
             "region,sex,age,value\nA,f,0,10\nA,f,5,-1\nA,f,10,5\n", r":3:4: .*negative"),
            ("ages not contiguous", "--population", "cohort_gap.csv",
             "region,sex,age,value\nA,f,0,10\nA,f,1,1\nA,f,3,5\n", r":4:3: ages not contiguous"),
            ("ASFR on a male row", "--fertility", "cohort_male_asfr.csv",
             "region,sex,age,value\nA,m,5,0.1\n", r":2:2: .*male row"),
            ("survival above 1", "--survival", "cohort_survival.csv",
             "region,sex,age,value\nall,f,0,1.5\n", r":2:4: survival ratio 1.5 is above 1")]:
        argv, path = cohort_with(option, name, text)
        add("project cohort with a %s: exit 3 at its line and column" % label,
            lambda argv=argv, path=path, where=where: expect(argv, tmp, 3,
                                                             re.escape(path) + where))
    add("project cohort --srb -1: usage error, exit 2",
        lambda: expect(cohort + ["--srb", "-1"], tmp, 2, r"--srb"))
    add("project cohort --rogers-castro mu2=x: usage error, exit 2",
        lambda: expect(cohort + ["--rogers-castro", "mu2=x"], tmp, 2, r"--rogers-castro"))
    add("project cohort with a 1e308 population: exit 3 or finite output",
        lambda: huge_ok(cohort_with("--population", "cohort_huge.csv", "region,sex,age,value\n" +
                                    "".join("%s,%s,%d,1e308\n" % (region, sex, age)
                                            for region in "AB" for sex in "fm"
                                            for age in (0, 5, 10)))[0], tmp))

    # --- outputs ------------------------------------------------------------------------------
    rescale = ["estimate", "rescale-net", "--net", FIX + "/estimate/net.csv"]

    def keeps_mode():
        out = os.path.join(tmp, "private.csv")
        write(tmp, "private.csv", "old\n")
        os.chmod(out, 0o600)
        expect(rescale + ["--output", out], tmp, 0, None)
        mode = stat.S_IMODE(os.stat(out).st_mode)
        if mode != 0o600:
            raise Failure("the replaced file's mode became %o" % mode)
    add("--output onto a 0600 file keeps 0600", keeps_mode)

    def device():
        link = os.path.join(tmp, "null-link")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink("/dev/null", link)
        expect(rescale + ["--output", "/dev/null"], tmp, 0, None)
        expect(rescale + ["--output", link], tmp, 0, None)
        if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
            raise Failure("/dev/null is no longer a device")
        if not os.path.islink(link):
            raise Failure("the symbolic link was replaced")
    add("--output onto a device (and a link to it) writes into it, never replaces it", device)

    def directory_output():
        os.makedirs(os.path.join(tmp, "outdir"), exist_ok=True)
        expect(rescale + ["--output", os.path.join(tmp, "outdir")], tmp, 2, r"directory")
    add("--output onto a directory: usage error", directory_output)

    def same_outputs():
        same = os.path.join(tmp, "same.csv")
        expect(["traces", "simulate", "--users", "5", "--days", "60", "--out-events", same,
                "--out-truth", same], tmp, 2, r"--out-events and --out-truth")
        expect(["traces", "simulate", "--users", "5", "--days", "60", "--out-events", same,
                "--out-truth", os.path.join(tmp, ".", "same.csv")], tmp, 2, r"same file")
        expect(["traces", "detect", "--input", FIX + "/traces/edge_cases.csv", "--output", same,
                "--segments-out", same], tmp, 2, r"same file")
    add("the same path for two outputs: usage error", same_outputs)

    # --- store -----------------------------------------------------------------------------
    def foreign_db():
        import sqlite3
        path = os.path.join(tmp, "other.db")
        if os.path.exists(path):
            os.remove(path)
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE notes (body TEXT)")
        con.execute("INSERT INTO notes VALUES ('mine')")
        con.commit()
        con.close()
        with open(path, "rb") as f:
            before = f.read()
        expect(["--db", path, "data", "list"], tmp, 3, r"not a kazmig database")
        with open(path, "rb") as f:
            if f.read() != before:
                raise Failure("the foreign database was changed")
    add("--db naming another program's SQLite database: exit 3, unchanged", foreign_db)

    # A selection that names nothing known: exit 3 naming it and what exists (issue 18,
    # app/selection.h), never an empty table.
    add("data show --region Atlantis: exit 3 naming it",
        lambda: expect(["data", "show", "population", "--region", "Atlantis"], tmp, 3,
                       r"unknown region or country 'Atlantis'"))
    add("data show --year 1900: exit 3 naming the years with data",
        lambda: expect(["data", "show", "net_internal", "--year", "1900"], tmp, 3,
                       r"no data for 1900; years with data: 2022"))

    # --- policy effect: a design the panel cannot support is exit 3 or credible: false with the
    # reason, never a silent number.
    panel = files["policy_panel.csv"]
    gap = write(tmp, "policy_gap.csv", "region,year,value\nA,2000,1\nA,2002,2\nB,2000,1\n"
                "B,2001,1\nB,2002,2\n")
    add("policy effect on a panel with a gap: exit 3 naming the region and year",
        lambda: expect(["policy", "effect", "--series", gap, "--start", "2001", "--treated", "A"],
                       tmp, 3, r"policy_gap.csv: region A has no value for 2001"))
    add("policy effect with a treated id not in the panel: exit 3 naming it",
        lambda: expect(["policy", "effect", "--series", panel, "--start", "2004", "--treated",
                        "A,Atlantis"], tmp, 3, r"region 'Atlantis' is not in the panel"))

    def not_credible(start, reason):
        def check():
            proc = run(["policy", "effect", "--series", panel, "--start", str(start),
                        "--treated", "A,B", "--format", "json"], tmp)
            if proc.returncode != 0:
                raise Failure("exit %d: %s" % (proc.returncode, proc.stderr.decode()))
            out = proc.stdout.decode()
            if '"credible": false' not in out or reason not in out:
                raise Failure("not flagged (%s): %s" % (reason, out[:400]))
            check_finite(proc.stdout, "policy effect")
        return check
    add("policy effect dated after the series: credible false, no estimate",
        not_credible(2030, "no post-period"))
    add("policy effect dated before the series: credible false, no estimate",
        not_credible(1990, "no pre-period"))
    add("policy effect with 2 pre-periods: credible false with the reason",
        not_credible(2002, "only 2 pre-periods"))
    add("policy effect --start out of range: usage error",
        lambda: expect(["policy", "effect", "--series", panel, "--start", "99999"], tmp, 2,
                       r"--start"))
    return cases


def huge_ok(argv, tmp):
    proc = run(argv, tmp)
    if proc.returncode == 0:
        check_finite(proc.stdout, "output")
    elif proc.returncode != 3:
        raise Failure("exit %d: %s" % (proc.returncode, proc.stderr.decode()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true")
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="kazmig-corpus-")
    try:
        files = {}
        for name, text in FILES.items():
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            files[name] = path
        cases = command_cases(tmp, files, bad_inputs(tmp)) + extra_cases(tmp, files)
        if args.list:
            for name, _ in cases:
                print(name)
            return 0
        failed = 0
        xfailed = 0
        ran = 0
        for name, fn in cases:
            if args.k and args.k not in name:
                continue
            ran += 1
            known = next((reason for key, reason in XFAIL.items() if name.startswith(key)), None)
            try:
                fn()
                if known:
                    print("XPASS %s (take it off XFAIL)" % name, flush=True)
            except Failure as failure:
                if known:
                    xfailed += 1
                    print("XFAIL %s\n     %s\n     known: %s" % (name, str(failure)[:300], known),
                          flush=True)
                    continue
                failed += 1
                print("FAIL %s\n     %s" % (name, str(failure)[:600]), flush=True)
        print("corpus: %d cases, %d failed, %d known failures (XFAIL)" % (ran, failed, xfailed))
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
