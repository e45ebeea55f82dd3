"""Unbound extension objects; create_app binds them to the app in register_extensions."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api
from flask_wtf import CSRFProtect

limiter = Limiter(key_func=get_remote_address, default_limits=[])
csrf = CSRFProtect()
openapi = Api()
