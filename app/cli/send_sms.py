"""``python main.py send-sms [--db URL | --demo]``: send what is due once, print one JSON line."""
from __future__ import annotations

import argparse
import json
import sys

from app.integrations.sms_gateways import GatewayNotConfigured, configured_gateway
from app.services.sms_outbox import SendReport, send_due


def send_sms(args: argparse.Namespace) -> int:
    """One pass over the outbox: ``{"sent": …, "failed": …, "retried": …, "skipped": …}`` on stdout;
    a problem (no key on this PC, the key refused) in Russian on stderr and exit code 2."""
    try:
        gateway = configured_gateway()
    except GatewayNotConfigured as error:
        print(json.dumps(SendReport().as_json()))
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    try:
        report = send_due(gateway)
    finally:
        gateway.close()
    print(json.dumps(report.as_json()))
    if report.problem:
        print(f"Ошибка: {report.problem}", file=sys.stderr)
        return 2
    return 0


def add_send_sms_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``send-sms`` on the program's subcommands."""
    command = commands.add_parser("send-sms", parents=[common], help="отправить СМС, которые ждут отправки",
                                  description="Отправляет через СМС-шлюз всё, что пора отправить, и печатает "
                                              "итог одной строкой JSON. Адрес шлюза можно заменить "
                                              "переменной окружения CRM_SMS_BASE_URL.")
    command.set_defaults(run=send_sms)
