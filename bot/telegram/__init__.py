"""The Telegram adapter: PTB Application, thin handlers, rendering, webhook server."""

import os

# Opt in to PTB's timedelta time periods (the int form is deprecated since PTB 22.2 and warns).
os.environ.setdefault("PTB_TIMEDELTA", "1")
