"""Labels of every page: the frame, signing in with a key, the search and the 360 page's fields."""

from __future__ import annotations

COMMON: dict[str, dict[str, str]] = {
    "app.title": {"en": "Customer console", "fr": "Console client"},
    "nav.skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "nav.search": {"en": "Search", "fr": "Recherche"},
    "nav.signed_in_as": {"en": "Signed in as", "fr": "Connecté en tant que"},
    "nav.sign_out": {"en": "Sign out", "fr": "Se déconnecter"},
    "nav.language": {"en": "Language", "fr": "Langue"},
    "signin.title": {"en": "Sign in", "fr": "Connexion"},
    "signin.intro": {
        "en": "Paste the API key you were given (it starts with hub_).",
        "fr": "Collez la clé d'API qui vous a été remise (elle commence par hub_).",
    },
    "signin.key": {"en": "API key", "fr": "Clé d'API"},
    "signin.submit": {"en": "Sign in", "fr": "Se connecter"},
    "signin.empty": {"en": "Paste an API key to sign in.", "fr": "Collez une clé d'API."},
    "signin.invalid": {
        "en": "This API key is not valid: it is unknown, mistyped or revoked.",
        "fr": "Cette clé d'API n'est pas valide : inconnue, mal copiée ou révoquée.",
    },
    "signin.expired": {
        "en": "Your session has ended or your key was revoked: sign in again.",
        "fr": "Votre session a pris fin ou votre clé a été révoquée : reconnectez-vous.",
    },
    "signin.signed_out": {"en": "You are signed out.", "fr": "Vous êtes déconnecté."},
    "csrf.failed": {
        "en": "The form had expired. Please try again.",
        "fr": "Le formulaire avait expiré. Veuillez réessayer.",
    },
    "search.title": {"en": "Find a customer", "fr": "Trouver un client"},
    "search.label": {
        "en": "Name, e-mail, phone or loyalty card",
        "fr": "Nom, e-mail, téléphone ou carte de fidélité",
    },
    "search.hint": {
        "en": "A name may be half-remembered or misspelt; phones may be typed any way "
        "(06 12 34 56 78, +33 6 12…). Results appear as you type, best first.",
        "fr": "Un nom peut être approximatif ou mal orthographié ; le téléphone s'écrit "
        "librement (06 12 34 56 78, +33 6 12…). Les résultats, les meilleurs d'abord, "
        "s'affichent pendant la saisie.",
    },
    "search.submit": {"en": "Search", "fr": "Rechercher"},
    "search.start": {
        "en": "Type at least three characters to search.",
        "fr": "Saisissez au moins trois caractères pour lancer la recherche.",
    },
    "search.none": {
        "en": "No customer matches “{query}”.",
        "fr": "Aucun client ne correspond à « {query} ».",
    },
    "search.forbidden": {
        "en": "Your key may not search by e-mail or phone (no personal-data access). "
        "Try a loyalty card number.",
        "fr": "Votre clé ne permet pas de chercher par e-mail ou téléphone (pas d'accès aux "
        "données personnelles). Essayez un numéro de carte de fidélité.",
    },
    "search.count": {"en": "{count} result(s)", "fr": "{count} résultat(s)"},
    "col.name": {"en": "Name", "fr": "Nom"},
    "col.brand": {"en": "Brand", "fr": "Marque"},
    "col.city": {"en": "City", "fr": "Ville"},
    "col.last_activity": {"en": "Last activity", "fr": "Dernière activité"},
    "customer.not_found": {
        "en": "No customer with this id is visible to your key.",
        "fr": "Aucun client avec cet identifiant n'est visible avec votre clé.",
    },
    "customer.golden": {"en": "Profile", "fr": "Profil"},
    "customer.golden_caption": {
        "en": "Each value shows the source it came from; hover a badge for the rule and the "
        "other values the sources hold.",
        "fr": "Chaque valeur indique sa source ; survolez un badge pour voir la règle et les "
        "autres valeurs des sources.",
    },
    "customer.field": {"en": "Field", "fr": "Champ"},
    "customer.value": {"en": "Value", "fr": "Valeur"},
    "customer.source": {"en": "Source", "fr": "Source"},
    "customer.rule": {"en": "Rule", "fr": "Règle"},
    "customer.alternatives": {"en": "Alternatives", "fr": "Autres valeurs"},
    "customer.no_alternatives": {"en": "none", "fr": "aucune"},
    "customer.identifiers": {"en": "Identifiers", "fr": "Identifiants"},
    "customer.also_written": {"en": "also written {value}", "fr": "aussi écrit {value}"},
    "customer.kind": {"en": "Kind", "fr": "Type"},
    "customer.records": {"en": "Source records", "fr": "Fiches sources"},
    "customer.connector": {"en": "Connector", "fr": "Connecteur"},
    "customer.source_id": {"en": "Id in the source", "fr": "Identifiant source"},
    "customer.link_rule": {"en": "Linked by", "fr": "Rattachée par"},
    "customer.last_seen": {"en": "Last seen", "fr": "Vue le"},
    "customer.updated": {"en": "Profile updated", "fr": "Profil mis à jour"},
    "customer.empty": {"en": "Nothing yet.", "fr": "Rien pour l'instant."},
    "hidden": {"en": "hidden", "fr": "masqué"},
    "hidden.title": {
        "en": "Personal data: your key may not read it",
        "fr": "Donnée personnelle : votre clé ne permet pas de la lire",
    },
    "field.first_name": {"en": "First name", "fr": "Prénom"},
    "field.last_name": {"en": "Last name", "fr": "Nom"},
    "field.email": {"en": "E-mail", "fr": "E-mail"},
    "field.phone": {"en": "Phone", "fr": "Téléphone"},
    "field.street": {"en": "Street", "fr": "Rue"},
    "field.postcode": {"en": "Postcode", "fr": "Code postal"},
    "field.city": {"en": "City", "fr": "Ville"},
    "field.country": {"en": "Country", "fr": "Pays"},
    "field.birth_date": {"en": "Birth date", "fr": "Date de naissance"},
    "field.brand": {"en": "Brand", "fr": "Marque"},
    "field.national_id": {"en": "National id", "fr": "N° d'identification"},
    "field.loyalty_card": {"en": "Loyalty card", "fr": "Carte de fidélité"},
    "kind.email": {"en": "E-mail", "fr": "E-mail"},
    "kind.phone": {"en": "Phone", "fr": "Téléphone"},
    "kind.loyalty_card": {"en": "Loyalty card", "fr": "Carte de fidélité"},
    "kind.source_customer_id": {"en": "Id in a source", "fr": "Identifiant source"},
    "kind.cross_reference": {"en": "Cross-reference", "fr": "Référence croisée"},
    "kind.anonymous_id": {"en": "Anonymous id", "fr": "Identifiant anonyme"},
    "error.title": {"en": "Something went wrong", "fr": "Une erreur est survenue"},
    "error.query": {
        "en": "The hub could not answer ({code}).",
        "fr": "Le hub n'a pas pu répondre ({code}).",
    },
}
