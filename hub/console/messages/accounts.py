"""Labels of signing in with a user account (a name and a password backed by an API key)."""

from __future__ import annotations

ACCOUNTS: dict[str, dict[str, str]] = {
    "signin.account_intro": {
        "en": "Type the user name and password an administrator gave you.",
        "fr": "Saisissez le nom d'utilisateur et le mot de passe remis par un administrateur.",
    },
    "signin.user": {"en": "User name", "fr": "Nom d'utilisateur"},
    "signin.password": {"en": "Password", "fr": "Mot de passe"},
    "signin.with_account": {
        "en": "Sign in with a user account instead",
        "fr": "Se connecter plutôt avec un compte utilisateur",
    },
    "signin.with_key": {
        "en": "Sign in with an API key instead",
        "fr": "Se connecter plutôt avec une clé d'API",
    },
    "signin.account_empty": {
        "en": "Type your user name and your password.",
        "fr": "Saisissez votre nom d'utilisateur et votre mot de passe.",
    },
    "signin.account_invalid": {
        "en": "This user name and password do not open an account (unknown, mistyped or closed).",
        "fr": "Ce nom d'utilisateur et ce mot de passe n'ouvrent aucun compte (inconnu, mal "
        "saisi ou fermé).",
    },
    "signin.throttled": {
        "en": "Too many failed attempts for this name: wait 15 minutes, then try again.",
        "fr": "Trop d'essais manqués pour ce nom : attendez 15 minutes, puis réessayez.",
    },
}
