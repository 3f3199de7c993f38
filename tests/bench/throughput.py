"""API throughput at city scale, side by side with a trivial Django JSON view in the same run (issue 15).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python -m tests.bench.throughput

What it does, in order:

1. Migrates the database named by ``DATABASE_URL`` (PostgreSQL: the figures mean nothing on SQLite) and,
   when it holds fewer facilities than ``--facilities``, seeds a city in bulk (``--facilities`` facilities
   in 12 towns, ``--tasks`` 三监联动 tasks over three years with one to three receiving departments
   each). A database that already holds a city (``make bench-data``) is used as it is.
2. Makes three personas (审批科, 执法大队, a town) and issues each an API token, as a client would.
3. Starts gunicorn exactly as production does (``config/gunicorn.conf.py``, the Dockerfile's command,
   ``--workers 2`` on this 2-core machine) with production settings (``DEBUG=0``), serving
   ``tests.bench.throughput_wsgi``: the project's WSGI application plus one trivial JSON view at
   ``/bench/trivial/``, behind the same middleware.
4. Drives each endpoint for ``--seconds`` with 20 concurrent connections over loopback, after a short
   warm-up, with **wrk** (Debian package ``wrk``, installed by ``make bench-deps``): an event-loop
   client in C that needs a fraction of a core for thousands of requests per second, so the load tool
   takes as little as possible of the two cores the server and PostgreSQL share. A Python client
   would need about a core of its own to keep up with the trivial view and would flatter the slow
   endpoints. Every answer must be 200: wrk's non-2xx count is printed and a non-zero one fails.
5. Prints requests/s and latency for the trivial view, the API facility list and the task list (page
   size 50, the default), and each one's ratio to the trivial view (the target is at least 20%).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 0.20
TOWNS = 12


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per endpoint (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per endpoint (default 2)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, one per core)")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--facilities", type=int, default=100_000, help="seed up to this many facilities")
    parser.add_argument("--tasks", type=int, default=200_000, help="seed this many tasks with the facilities")
    return parser.parse_args()


def production_environment() -> dict:
    """Production settings (DEBUG off) on the database under test; a throw-away secret and data dir."""
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL 应指向 PostgreSQL（如 postgres://postgres@127.0.0.1:5432/bench）：吞吐量只在 PostgreSQL 上有意义。")
    return {
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATA_DIR": os.environ.get("DATA_DIR") or tempfile.mkdtemp(prefix="throughput-"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


# Data ----------------------------------------------------------------------------------------------------


def seed_city(facility_count: int, task_count: int) -> None:
    """Bulk rows in SQL (load, not behaviour: the services would take hours, the ORM's bulk_create tens of
    minutes on a shared machine), valid as the services make them: a unit per facility with a valid
    统一社会信用代码 (R-FAC-1), the key industry matched as ``register_facility`` does (R-FAC-2), task
    numbers gap-free per year, assignments in states their task allows."""
    from django.db import connection

    from bureau import services as bureau_services
    from bureau.models import Section, Town
    from linkage import rules as linkage_rules
    from permits import rules as permit_rules
    from permits.models import Facility

    towns = list(Town.objects.order_by("code").values_list("pk", flat=True)[:TOWNS])
    for n in range(len(towns), TOWNS):
        towns.append(bureau_services.create_town(code=f"BT{n:02d}", name=f"基准街镇{n:02d}").pk)
    have = Facility.objects.count()
    started = time.perf_counter()
    numbers = list(range(have + 1, facility_count + 1))
    codes = []
    for n in numbers:
        first17 = f"91310{n:012d}"
        codes.append(first17 + permit_rules.credit_code_check_character(first17))
    industries = ["2641", "3360", "1311", "3670", "4411", "2221", "4620", "3130", "2929", "3311"]
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO permits_unit (credit_code, name, created_at)
               SELECT code, '城市基准' || lpad(n::text, 6, '0') || '有限公司', now()
               FROM unnest(%s::text[], %s::int[]) AS t(code, n)""",
            [codes, numbers],
        )
        cursor.execute(
            """INSERT INTO permits_facility (site_number, source_code, credit_code, name, address,
                   industry_code, industry_name, management_level, contact_person, contact_phone,
                   eia_document_no, status, is_key_regulated, is_confidential, risk_level, has_auto_monitoring,
                   in_environmental_statistics, credit_rating, credit_rated_on, created_at, updated_at, town_id,
                   key_industry_id, unit_id)
               SELECT '001', u.credit_code || '001', u.credit_code, u.name, '基准路' || t.n || '号',
                   i.code, '行业',
                   CASE WHEN t.n %% 30 = 0 THEN 'key' WHEN t.n %% 4 = 0 THEN 'simplified' ELSE 'registered' END,
                   '张三', '021-12345678', '', 'operating', t.n %% 7 = 0, false, '', t.n %% 5 = 0, t.n %% 3 = 0,
                   '', NULL, now(), now(), (%s::bigint[])[t.n %% %s + 1],
                   (SELECT k.id FROM permits_keyindustry k WHERE k.is_active AND i.code LIKE k.code || '%%'
                    ORDER BY length(k.code) DESC LIMIT 1),
                   u.id
               FROM unnest(%s::text[], %s::int[]) AS t(code, n)
               JOIN permits_unit u ON u.credit_code = t.code
               CROSS JOIN LATERAL (SELECT (%s::text[])[t.n %% %s + 1] AS code) i""",
            [towns, len(towns), codes, numbers, industries, len(industries)],
        )
    print(f"  种子：{Facility.objects.count()} 家排污单位，用时 {time.perf_counter() - started:.0f} s", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM linkage_linkagetask)")
        if cursor.fetchone()[0] or task_count == 0:
            return
        started = time.perf_counter()
        sections = [
            Section.objects.get(code=code).pk for code in linkage_rules.DEPARTMENT_ORDER
        ]
        today = date.today()
        first_day = date(today.year - 2, 1, 1)
        cursor.execute("SELECT setseed(0.15)")
        cursor.execute(
            """CREATE TEMP TABLE bench_task AS
               SELECT g, d AS started_on, extract(year FROM d)::int AS year,
                   row_number() OVER (PARTITION BY extract(year FROM d) ORDER BY d, g) AS sequence,
                   ini, nrec, r_state, r_assignment,
                   CASE WHEN r_facility < 0.9 THEN (SELECT array_agg(id ORDER BY id) FROM permits_facility)[fac] END
                       AS facility_id
               FROM (SELECT g, %s::date + floor(random() * (%s::date - %s::date + 1))::int AS d,
                         floor(random() * 5)::int AS ini, floor(random() * 3)::int + 1 AS nrec,
                         random() AS r_state, random() AS r_assignment, random() AS r_facility,
                         floor(random() * (SELECT count(*) FROM permits_facility))::int + 1 AS fac
                     FROM generate_series(1, %s) g) s""",
            [first_day, today, first_day, task_count],
        )
        cursor.execute(
            """INSERT INTO linkage_linkagetask (number, year, sequence, description, started_on, remarks,
                   source_kind, source_key, source_url, source_label, deadline_workdays, deadline_on, state,
                   closed_on, archived_on, from_paper, created_at, initiator_id, facility_id,
                   deadline_provisional, started_by_system)
               SELECT 'LD-' || year || '-' || lpad(sequence::text, greatest(4, length(sequence::text)), '0'), year, sequence,
                   '基准任务：排污许可执行情况核查 ' || sequence, started_on, '', 'manual', '', '', '', 15,
                   started_on + 21, state,
                   CASE WHEN state IN ('closed', 'archived') THEN started_on + 20 END,
                   CASE WHEN state = 'archived' THEN started_on + 30 END,
                   false, now(), (%s::bigint[])[ini + 1], facility_id, false, false
               FROM (SELECT *, CASE
                       WHEN %s::date - started_on > 60 THEN CASE WHEN r_state < 0.85 THEN 'archived'
                           WHEN r_state < 0.90 THEN 'closed' WHEN r_state < 0.93 THEN 'awaiting_close' ELSE 'open' END
                       ELSE CASE WHEN r_state < 0.9 THEN 'open' ELSE 'awaiting_close' END END AS state
                     FROM bench_task) t
               ORDER BY year, sequence""",
            [sections, today],
        )
        cursor.execute(
            """INSERT INTO linkage_assignment (state, received_on, execution, executed_on, execution_remarks,
                   feedback, fed_back_on, feedback_remarks, section_id, task_id)
               SELECT a.state,
                   CASE WHEN a.state <> 'pending' THEN a.started_on END,
                   CASE WHEN a.state <> 'pending' THEN '已现场核查' ELSE '' END,
                   CASE WHEN a.state <> 'pending' THEN a.started_on END, '',
                   CASE WHEN a.state = 'fed_back' THEN '已整改' ELSE '' END,
                   CASE WHEN a.state = 'fed_back' THEN a.started_on + 10 END, '',
                   (%s::bigint[])[(a.ini + a.k) %% 5 + 1], a.task_id
               FROM (SELECT k, b.ini, lt.started_on, lt.id AS task_id,
                         CASE WHEN lt.state <> 'open' THEN 'fed_back'
                              WHEN b.r_assignment < 0.4 THEN 'pending'
                              WHEN b.r_assignment < 0.7 THEN 'received' ELSE 'fed_back' END AS state
                     FROM bench_task b
                     JOIN linkage_linkagetask lt ON lt.year = b.year AND lt.sequence = b.sequence
                     CROSS JOIN LATERAL generate_series(1, b.nrec) k) a
               ORDER BY a.task_id, a.k""",
            [sections],
        )
        cursor.execute("DROP TABLE bench_task")
        cursor.execute("SELECT count(*) FROM linkage_assignment")
        assignments = cursor.fetchone()[0]
    print(
        f"  种子：{task_count} 个三监联动任务、{assignments} 个接收部门，用时 {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def prepare_database(args) -> dict[str, str]:
    """Migrate, seed when needed, and return an API token per persona."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bureau import services as bureau_services
    from bureau.accounts.tokens import issue
    from bureau.models import SectionCode, Staff, Town
    from linkage.models import LinkageTask
    from permits.models import Facility

    call_command("migrate", verbosity=0, interactive=False)
    bureau_services.ensure_sections()
    if Facility.objects.count() < args.facilities or not LinkageTask.objects.exists():
        seed_city(args.facilities, args.tasks)
        with connection.cursor() as cursor:
            for table in ("permits_unit", "permits_facility", "linkage_linkagetask", "linkage_assignment"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    town = Town.objects.filter(facilities__isnull=False).order_by("code").first()
    personas = {
        "审批科": ("bench_approval", SectionCode.APPROVAL, None),
        "执法大队": ("bench_enforcement", SectionCode.ENFORCEMENT, None),
        "街镇": ("bench_town", SectionCode.TOWN, town),
    }
    tokens = {}
    for label, (username, code, in_town) in personas.items():
        staff = Staff.objects.filter(user__username=username).select_related("user").first()
        if staff is None:
            staff = bureau_services.create_staff(
                username=username, password=os.urandom(16).hex() + "Aa1!", section_code=code, town=in_town
            )
        tokens[label] = issue(staff.user, "吞吐量基准", 1)[1]
    print(
        f"数据：{Facility.objects.count()} 家排污单位，{LinkageTask.objects.count()} 个三监联动任务"
        f"（{connection.vendor}）",
        flush=True,
    )
    connection.close()
    return tokens


# Server and load -----------------------------------------------------------------------------------------


def start_gunicorn(args, env) -> subprocess.Popen:
    """The Dockerfile's command (``gunicorn -c config/gunicorn.conf.py … --worker-tmp-dir /dev/shm``
    with access and error logs), on loopback, with ``--workers`` workers; the logs go to a file."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = open(Path(env["DATA_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    command = [
        gunicorn,
        "-c",
        "config/gunicorn.conf.py",
        "tests.bench.throughput_wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-tmp-dir",
        "/dev/shm",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/trivial/", timeout=5)
            return server
        except OSError:  # refused while booting, or a timeout
            if server.poll() is not None:
                sys.exit(f"gunicorn 启动失败，见 {log.name}")
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn 60 秒内未就绪，见 {log.name}")


def check_answer(url: str, token: str | None) -> str:
    """One request before the load: it must be 200; says what the page holds."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.loads(response.read())
    if "results" in body:
        return f"count={body['count']}，本页 {len(body['results'])} 行"
    return "trivial"


WRK_FIGURES = {
    "rps": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "p50": re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "p99": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "non2xx": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
    "errors": re.compile(r"Socket errors:.*"),
}
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, token: str | None, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(WRK_FIGURES["rps"].search(output).group(1))}
    for name in ("p50", "p99"):
        found = WRK_FIGURES[name].search(output)
        figures[name] = float(found.group(1)) * UNIT_MS[found.group(2)] if found else float("nan")
    found = WRK_FIGURES["non2xx"].search(output)
    figures["non2xx"] = int(found.group(1)) if found else 0
    found = WRK_FIGURES["errors"].search(output)
    figures["errors"] = found.group(0) if found else ""
    return figures


def main():
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("需要 wrk（Debian 软件包 wrk）：make bench-deps，或以 root 执行 apt-get install wrk。")
    env = production_environment()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    tokens = prepare_database(args)
    base = f"http://127.0.0.1:{args.port}"
    cases = [
        ("trivial JSON view", "/bench/trivial/", None),
        ("API 排污单位列表（审批科）", "/api/v1/facilities/", "审批科"),
        ("API 排污单位列表（街镇）", "/api/v1/facilities/", "街镇"),
        ("API 三监联动任务列表（审批科）", "/api/v1/linkage/tasks/", "审批科"),
        ("API 三监联动任务列表（执法大队）", "/api/v1/linkage/tasks/", "执法大队"),
        ("trivial JSON view（再测）", "/bench/trivial/", None),
    ]
    server = start_gunicorn(args, env)
    results = []
    try:
        print(
            f"gunicorn {args.workers} workers，wrk {args.connections} 个连接，每项预热 {args.warmup} s、测 {args.seconds} s",
            flush=True,
        )
        for label, path, persona in cases:
            token = tokens.get(persona) if persona else None
            holds = check_answer(base + path, token)
            if args.warmup:
                wrk(base + path, token, args.warmup, args.connections)
            figures = wrk(base + path, token, args.seconds, args.connections)
            results.append((label, holds, figures))
            print(
                f"  {label}: {figures['rps']:.0f} req/s, p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms"
                f"（{holds}）",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    trivial = [f["rps"] for label, _, f in results if label.startswith("trivial")]
    reference = sum(trivial) / len(trivial)
    print(f"\n参照：trivial JSON view 平均 {reference:.0f} req/s（{' / '.join(f'{r:.0f}' for r in trivial)}）")
    print(f"{'endpoint':<36}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>10}")
    failed = False
    for label, _, figures in results:
        ratio = figures["rps"] / reference
        mark = "" if label.startswith("trivial") or ratio >= TARGET_RATIO else "  < 20%"
        print(f"{label:<30}{figures['rps']:>10.0f}{figures['p50']:>10.1f}{figures['p99']:>10.1f}{ratio:>9.1%}{mark}")
        if figures["non2xx"] or figures["errors"]:
            failed = True
            print(f"    非 200 答复 {figures['non2xx']} 个；{figures['errors']}")
    if failed:
        sys.exit("有请求未得到 200 答复，结果无效。")


if __name__ == "__main__":
    main()
