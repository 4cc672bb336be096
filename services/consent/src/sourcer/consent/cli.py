"""`sourcer-consent serve`: landing page, internal API, consumer, scheduler and webhook
dispatcher in one process. SIGTERM stops taking HTTP requests and events, lets in-flight work
finish, closes.

`sourcer-consent new-key` prints a key for SOURCER_CONSENT_WEBHOOK_SECRETS_KEY;
`sourcer-consent webhooks reseal` seals every webhook secret under the current key (after an
upgrade from secrets stored in clear, or to finish a key rotation)."""

from __future__ import annotations

import argparse
import asyncio
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-consent", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="Serve the landing page and internal API, run the scheduler")
    sub.add_parser("new-key", help="Print a fresh SOURCER_CONSENT_WEBHOOK_SECRETS_KEY")
    webhooks = sub.add_parser("webhooks", help="Webhook maintenance")
    webhooks.add_argument("action", choices=["reseal"], help="seal every secret anew")
    missing = sub.add_parser(
        "missing-translations",
        help="List the landing page and mail texts each language lacks (talents read English)",
    )
    missing.add_argument(
        "languages", nargs="*", help="Languages to check (default: the tenants' default list)"
    )
    args = parser.parse_args(argv)
    if args.command == "missing-translations":
        from sourcer.consent.translations import report
        from sourcer.proto.tenant_settings import DEFAULT_LANGUAGES

        print(report(args.languages or DEFAULT_LANGUAGES))
        return 0
    from sourcer.runtime.crypto import SealingKeyError, new_key

    if args.command == "new-key":
        print(new_key())
        return 0
    from sourcer.consent.bootstrap import SERVICE
    from sourcer.runtime.service import run_service

    try:
        if args.command == "serve":
            return run_service(SERVICE)
        return asyncio.run(reseal())
    except SealingKeyError as exc:
        print(f"sourcer-consent: {exc}", file=sys.stderr)
        return 2


async def reseal() -> int:
    from sourcer.consent.bootstrap import SERVICE, webhook_sealer
    from sourcer.consent.settings import ConsentSettings
    from sourcer.consent.webhook_store import MongoWebhookStore
    from sourcer.runtime.store import connect_store

    settings = ConsentSettings()  # secrets come from the environment
    store = await connect_store(
        settings.mongodb_url, settings.mongodb_db, app_name="consent", catalog=SERVICE.full_catalog
    )
    try:
        hooks = MongoWebhookStore(store, sealer=webhook_sealer(settings))
        print(f"re-sealed {await hooks.reseal()} webhook secret(s)")
    finally:
        await store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
