"""Start the workshop CRM: ``python main.py --demo``; see ``python main.py --help``."""
from __future__ import annotations

import argparse
import logging
import sys


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line; ``with_commands=False``: the window's options only (the commands' modules
    are not loaded: starting the window does not wait for them)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="работать на временной базе с примерами сделок")
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="sqlite:///путь или postgresql://пользователь@сервер:порт/база")
    parser = argparse.ArgumentParser(prog="main.py", parents=[common],
                                     description="CRM мастерской «Детские кровати Маня»")
    from app.domain.version import program_version

    parser.add_argument("--version", action="version", version=f"workshop-crm {program_version()}")
    parser.add_argument("--screenshot", metavar="FILE.png", help="сохранить снимок окна и выйти")
    parser.add_argument("--show", metavar="WHAT", help="экран для снимка: deal:N[:main|contact|payment|files|sms], "
                                                       "letter:N, tasks, sms, users, cutsheet:N, cutdone:N, offcuts, "
                                                       "scan:TEXT, analytics, banding, labels")
    parser.add_argument("--workstation", choices=["counter", "constructor", "workshop"], default=None,
                        help="режим рабочего места (запоминается на этом компьютере)")
    parser.add_argument("--user", metavar="LOGIN", help="войти как этот пользователь")
    parser.add_argument("--size", metavar="WxH", default="1600x900", help="размер окна для снимка")
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="КОМАНДА")
    from app.cli import amocrm as amocrm_commands
    from app.cli import maintenance as maintenance_commands
    from app.cli.fetch_mail import add_fetch_mail_command
    from app.cli.print_cutsheet import add_print_command
    from app.cli.print_labels import add_labels_command
    from app.cli.print_papers import add_papers_commands
    from app.cli.report import add_report_command
    from app.cli.send_sms import add_send_sms_command

    add_print_command(commands, common)
    add_labels_command(commands, common)
    add_papers_commands(commands, common)
    add_report_command(commands, common)
    add_send_sms_command(commands, common)
    maintenance_commands.register(commands, common)
    add_fetch_mail_command(commands, common)
    amocrm_commands.register(commands, common)
    amocrm_commands.register_export(commands, common)
    return parser


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The arguments: read by the window's options alone when they are all there is (a start of
    the window), else by the whole command line (a command, ``--help``, a mistake to explain)."""
    argv = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help"} & set(argv):
        args, rest = build_parser(with_commands=False).parse_known_args(argv)
        if not rest:
            return args
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if getattr(args, "run_without_db", None):  # migrate-to, restore: they open what they need
        from app.cli.failures import run_reporting

        return run_reporting(lambda: args.run_without_db(args), getattr(args, "db", None))
    demo, url = getattr(args, "demo", False), getattr(args, "db", None)
    from ui.shell.logs import arm_crash_file, disarm_crash_file, setup_logging

    setup_logging()
    previous_crash = arm_crash_file()
    try:
        return _run(args, demo, url, previous_crash)
    except BaseException:
        logging.getLogger("main").exception("The program stopped on an error")
        raise
    finally:
        disarm_crash_file()


def _run(args: argparse.Namespace, demo: bool, url: str | None, previous_crash) -> int:
    if args.command:
        from app.cli.failures import run_reporting

        return run_reporting(lambda: _run_command(args, demo, url), url)
    from ui.shell.app import handed_over
    from ui.shell.startup_recovery import open_or_recover

    if handed_over(args):
        return 0
    opened = open_or_recover(url, demo)
    if opened is None:
        return 1
    from ui.shell.app import run_gui

    return run_gui(args, opened, previous_crash)


def _run_command(args: argparse.Namespace, demo: bool, url: str | None) -> int:
    if demo:
        from app.demo.opening import open_demo

        open_demo()
    else:
        from app.cli.failures import require_existing
        from app.store.session import open_for_run

        require_existing(url)
        open_for_run(url)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
