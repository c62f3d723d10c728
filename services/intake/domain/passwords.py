"""Password hashing (argon2id, argon2-cffi's defaults) and the rules a new password must meet."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are RFC 9106's second recommendation for argon2id (64 MiB, 3 passes).
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so a miss costs as long as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an unknown person (None) still pays for one verification."""
    try:
        return _HASHER.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def weakness(password: str, username: str) -> str | None:
    """What is wrong with a new password, in Vietnamese, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    if len(password) > 200:
        return "Mật khẩu dài quá 200 ký tự."
    if username.lower() in password.lower():
        return "Mật khẩu không được chứa tên đăng nhập."
    if len(set(password)) < 4:
        return "Mật khẩu quá đơn giản; hãy dùng nhiều ký tự khác nhau."
    return None


def temporary_password() -> str:
    """A password to hand over once; the person must change it at first sign-in."""
    return secrets.token_urlsafe(9)
