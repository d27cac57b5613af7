"""Extension objects, created unbound; create_app() binds them."""

from typing import TYPE_CHECKING

from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base every model subclasses. At run time it is db.Model, the subclass of Base that
# Flask-SQLAlchemy builds (table names, binds); a type checker cannot take an attribute of an
# instance as a base class, so it is told the class it really extends: our typed Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
# Per-address request limits; storage is REDIS_URL when set (shared by every worker).
limiter = Limiter(key_func=get_remote_address)
# Built output shared by every worker and kept across restarts (see config.cache_config).
cache = Cache()
