"""govoffice-agent --config DIR/agent.toml send | send-edxml | pull | status | trace | revoke | members"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import mimetypes
import os
import sys
from pathlib import Path

import httpx

from govoffice_agent import edxml
from govoffice_agent.client import HubClient, HubError, VerificationError
from govoffice_agent.config import AgentConfig, ConfigError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govoffice-agent", description="An agency's client for the govoffice document hub.")
    p.add_argument("--config", required=True, help="agent.toml (or the folder that holds it)")
    sub = p.add_subparsers(dest="command", required=True)
    send = sub.add_parser("send", help="build, sign and send a document with its files")
    send.add_argument("files", nargs="+", type=Path)
    send.add_argument("--to", nargs="+", required=True, metavar="CODE")
    send.add_argument("--subject", required=True)
    send.add_argument("--type", type=int, required=True, help="DocumentType/Type (integer)")
    send.add_argument("--type-name", default="")
    send.add_argument("--number", required=True, help="CodeNumber, e.g. 123")
    send.add_argument("--notation", required=True, help="CodeNotation, e.g. QĐ-BTC")
    send.add_argument("--date", help="promulgation date yyyy-mm-dd (default today)")
    send.add_argument("--place", default="Hà Nội")
    send.add_argument("--content", default="")
    send.add_argument("--signer", default="", help="the signer's full name")
    send.add_argument("--position", default="")
    send.add_argument("--due", help="due date yyyy-mm-dd")
    send.add_argument("--idempotency-key")
    many = sub.add_parser("send-edxml", help="send edXML files as they are (signed here if unsigned), up to 100 a request")
    many.add_argument("files", nargs="+", type=Path)
    many.add_argument("--batch-size", type=int, default=100, help="documents per request (1-100)")
    pull = sub.add_parser("pull", help="fetch, verify, write and acknowledge what waits")
    pull.add_argument("--out", required=True, type=Path)
    pull.add_argument("--limit", type=int, default=100)
    status = sub.add_parser("status", help="send a status about a document (01-06, 13, 15, 16)")
    status.add_argument("document_id")
    status.add_argument("code", choices=sorted(edxml.STATUS_CODES))
    status.add_argument("--note", default="")
    status.add_argument("--idempotency-key", help="the same key on a rerun (say, after the hub could not be reached) sends nothing twice")
    trace = sub.add_parser("trace", help="a document's history per recipient")
    trace.add_argument("document_id")
    revoke = sub.add_parser("revoke", help="ask the recipients to take a document back (or --update)")
    revoke.add_argument("document_id")
    revoke.add_argument("--reason", required=True)
    revoke.add_argument("--update", action="store_true", help="ask them to update it instead")
    sub.add_parser("members", help="the hub's members")
    return p


def _date(text: str | None, default: dt.date | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else default


def _send(client: HubClient, args: argparse.Namespace) -> dict[str, object]:
    attachments = []
    for i, path in enumerate(args.files, start=1):
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        attachments.append(edxml.Attachment(f"att{i}", ctype, path.name, path.read_bytes()))
    message = edxml.Message(
        sender=edxml.Organization(client.config.agency),
        to=[edxml.Organization(code) for code in args.to],
        code=edxml.Code(args.number, args.notation),
        subject=args.subject,
        promulgation=edxml.PromulgationInfo(args.place, _date(args.date, dt.date.today())),
        document_type=edxml.DocumentType(args.type, args.type_name),
        content=args.content,
        signer=edxml.SignerInfo(position=args.position, full_name=args.signer),
        due_date=_date(args.due, None),
        attachments=attachments,
    )
    answer = client.send(message, idempotency_key=args.idempotency_key)
    return {"document_id": message.document_id, **answer}


def _send_edxml(client: HubClient, args: argparse.Namespace) -> list[dict[str, object]]:
    items: list[tuple[bytes, str | None]] = []
    for path in args.files:
        original = path.read_bytes()
        # Keyed by the file's content: running the command again on the same files sends nothing twice.
        items.append((client.sign_raw(original), "file:" + hashlib.sha256(original).hexdigest()))
    answers = client.send_many(items, batch_size=args.batch_size)
    return [{"file": str(path), **answer} for path, answer in zip(args.files, answers, strict=True)]


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        client = HubClient(AgentConfig.load(args.config))
    except ConfigError as exc:
        print(f"govoffice-agent: {exc}", file=sys.stderr)
        return 2
    code = 0
    try:
        if args.command == "send":
            out: object = _send(client, args)
        elif args.command == "send-edxml":
            answers = _send_edxml(client, args)
            failed = sum(1 for a in answers if a.get("error"))
            if failed:  # the answers are printed all the same: the others went through
                print(f"govoffice-agent: the hub refused {failed} of {len(answers)} files", file=sys.stderr)
                code = 1
            out = answers
        elif args.command == "pull":
            out = [r.__dict__ | {"path": str(r.path), "attachments": [str(a) for a in r.attachments]} for r in client.pull(args.out, limit=args.limit)]
        elif args.command == "status":
            out = client.send_status(args.document_id, args.code, args.note, idempotency_key=args.idempotency_key)
        elif args.command == "trace":
            out = client.trace(args.document_id)
        elif args.command == "revoke":
            out = client.request_change(args.document_id, edxml.DOC_UPDATE if args.update else edxml.DOC_REVOKE, args.reason)
        else:
            out = client.members()
    except HubError as exc:
        print(f"govoffice-agent: the hub refused: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    except (VerificationError, edxml.EdxmlError, OSError, ValueError) as exc:
        print(f"govoffice-agent: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"govoffice-agent: cannot reach the hub: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    try:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str), flush=True)
    except BrokenPipeError:
        # Piped into `head`: the reader has gone, which is no failure of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


def main() -> None:
    raise SystemExit(run())


if __name__ == "__main__":
    main()
