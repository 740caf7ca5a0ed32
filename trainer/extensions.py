"""Extensions, created unbound and initialised in the application factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints: Alembic's batch mode on SQLite needs names to alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects stay loaded after a commit: a view that records progress and then renders must not
# reload every row one by one (and the tests run with the same setting).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Pages, stylesheets, scripts and JSON travel compressed when gunicorn serves directly;
# COMPRESS_RESPONSES=0 leaves it to a proxy that compresses (config.py).
compress = Compress()
babel = Babel()
# Per client address (the proxy's X-Forwarded-For once TRUSTED_PROXIES says to trust it).
# Storage: Redis when REDIS_URL is set, else this process's memory (see register_extensions).
limiter = Limiter(key_func=get_remote_address)
