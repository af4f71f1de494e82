"""The console's labels in English and French, and the choice of language for a request.

One catalogue, keyed by message id: a template asks ``t("search.label")`` and gets the text of
the viewer's language. A missing French text falls back to English, and a missing id fails
loudly in tests rather than showing an id to an agent.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
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
        "en": "E-mail, phone or loyalty card",
        "fr": "E-mail, téléphone ou carte de fidélité",
    },
    "search.hint": {
        "en": "Phones may be typed any way (06 12 34 56 78, +33 6 12…). "
        "Results appear as you type.",
        "fr": "Le téléphone peut s'écrire librement (06 12 34 56 78, +33 6 12…). "
        "Les résultats s'affichent pendant la saisie.",
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

REVIEW_MESSAGES: dict[str, dict[str, str]] = {
    # The review queue, decisions, and splitting a profile.
    "nav.review": {"en": "Review", "fr": "À valider"},
    "review.title": {"en": "Review queue", "fr": "File de validation"},
    "review.intro": {
        "en": "Pairs of records the hub would not link or keep apart by itself. Open one to "
        "compare the two profiles and decide.",
        "fr": "Paires de fiches que le hub n'a pas voulu rapprocher ou séparer seul. Ouvrez-en "
        "une pour comparer les deux profils et décider.",
    },
    "review.empty": {
        "en": "No pair is waiting for review.",
        "fr": "Aucune paire n'attend de validation.",
    },
    "review.left": {"en": "First record", "fr": "Première fiche"},
    "review.right": {"en": "Second record", "fr": "Seconde fiche"},
    "review.score": {"en": "Score", "fr": "Score"},
    "review.rule": {"en": "rule", "fr": "règle"},
    "review.filed": {"en": "Filed", "fr": "Ajoutée le"},
    "review.open": {"en": "Review", "fr": "Examiner"},
    "review.pages": {"en": "Pages of the queue", "fr": "Pages de la file"},
    "review.first_page": {"en": "First page", "fr": "Première page"},
    "review.next_page": {"en": "Next page", "fr": "Page suivante"},
    "review.out_of_scope": {
        "en": "A record of a brand outside your key's scope",
        "fr": "Une fiche d'une marque hors du périmètre de votre clé",
    },
    "review.forbidden": {
        "en": "Your key may not review identities: ask for an agent or admin key.",
        "fr": "Votre clé ne permet pas de valider des identités : demandez une clé agent ou "
        "administrateur.",
    },
    "review.not_found": {
        "en": "No review item with this id.",
        "fr": "Aucune paire à valider avec cet identifiant.",
    },
    "review.back": {"en": "Back to the queue", "fr": "Retour à la file"},
    "review.item_title": {"en": "Review", "fr": "Validation"},
    "review.side_by_side": {
        "en": "The two profiles, field by field",
        "fr": "Les deux profils, champ par champ",
    },
    "review.this_pair": {"en": "in this pair", "fr": "dans cette paire"},
    "review.evidence": {"en": "Evidence", "fr": "Éléments de comparaison"},
    "review.evidence_hint": {
        "en": "How each field of the two records compared, and the weight (in bits) it added "
        "to the score or took from it.",
        "fr": "Comment chaque champ des deux fiches se compare, et le poids (en bits) qu'il "
        "ajoute au score ou lui retire.",
    },
    "review.level": {"en": "Agreement", "fr": "Concordance"},
    "review.weight": {"en": "Weight", "fr": "Poids"},
    "review.total": {"en": "Total score", "fr": "Score total"},
    "review.decide": {"en": "Your decision", "fr": "Votre décision"},
    "review.reason": {"en": "Reason (required)", "fr": "Motif (obligatoire)"},
    "review.reason_hint": {
        "en": "Say why: the reason is kept in the audit log with your decision.",
        "fr": "Dites pourquoi : le motif est conservé dans le journal avec votre décision.",
    },
    "review.merge": {"en": "Merge", "fr": "Fusionner"},
    "review.keep_apart": {"en": "Keep apart", "fr": "Garder séparés"},
    "review.never_merge": {"en": "Never merge", "fr": "Ne jamais fusionner"},
    "review.cannot_decide": {
        "en": "Your key may look but not decide.",
        "fr": "Votre clé permet de consulter, pas de décider.",
    },
    "review.decided": {
        "en": "Decided by {by} on {at}.",
        "fr": "Décidé par {by} le {at}.",
    },
    "review.done.merged": {
        "en": "Merged: the two profiles are now one.",
        "fr": "Fusionnés : les deux profils n'en font plus qu'un.",
    },
    "review.done.kept_apart": {
        "en": "Kept apart: the pair left the queue.",
        "fr": "Gardés séparés : la paire a quitté la file.",
    },
    "review.done.never_merge": {
        "en": "Never merge: no later run will join these two profiles.",
        "fr": "Ne jamais fusionner : aucun traitement ne réunira ces deux profils.",
    },
    "review.see_profile": {"en": "Open the profile", "fr": "Ouvrir le profil"},
    "status.open": {"en": "open", "fr": "à valider"},
    "status.merged": {"en": "merged", "fr": "fusionnés"},
    "status.kept_apart": {"en": "kept apart", "fr": "gardés séparés"},
    "status.never_merge": {"en": "never merge", "fr": "ne jamais fusionner"},
    "status.resolved": {"en": "resolved by a later run", "fr": "résolue par un traitement"},
    "level.same": {"en": "same", "fr": "identique"},
    "level.close": {"en": "close", "fr": "proche"},
    "level.similar": {"en": "similar", "fr": "semblable"},
    "level.different": {"en": "different", "fr": "différent"},
    "level.missing": {"en": "missing", "fr": "absent"},
    "decision.reason_required": {
        "en": "Give a reason: every identity decision keeps one. Nothing was changed.",
        "fr": "Indiquez un motif : chaque décision d'identité en garde un. Rien n'a été modifié.",
    },
    "decision.forbidden": {
        "en": "Your key may not decide identities. Nothing was changed.",
        "fr": "Votre clé ne permet pas de décider des identités. Rien n'a été modifié.",
    },
    "decision.refused": {
        "en": "The hub refused this decision: {message}. Nothing was changed.",
        "fr": "Le hub a refusé cette décision : {message}. Rien n'a été modifié.",
    },
    "decisions.title": {"en": "Recent decisions", "fr": "Décisions récentes"},
    "decisions.none": {"en": "No decision yet.", "fr": "Aucune décision pour l'instant."},
    "decisions.when": {"en": "When", "fr": "Quand"},
    "decisions.action": {"en": "What", "fr": "Quoi"},
    "decisions.by": {"en": "By", "fr": "Par"},
    "decisions.reason": {"en": "Reason", "fr": "Motif"},
    "audit.identity.review": {"en": "Review answered", "fr": "Validation"},
    "audit.identity.merge": {"en": "Merge", "fr": "Fusion"},
    "audit.identity.split": {"en": "Split", "fr": "Séparation"},
    "audit.identity.never_merge": {"en": "Never merge", "fr": "Ne jamais fusionner"},
    "audit.identity.undo": {"en": "Undo", "fr": "Annulation"},
    "split.section": {"en": "Identity", "fr": "Identité"},
    "split.title": {"en": "Split this profile", "fr": "Séparer ce profil"},
    "split.hint": {
        "en": "Tick the records that belong to someone else: they move to a profile of their own.",
        "fr": "Cochez les fiches qui appartiennent à quelqu'un d'autre : elles rejoignent un "
        "profil à part.",
    },
    "split.records": {"en": "Records to move out", "fr": "Fiches à sortir"},
    "split.reason": {"en": "Reason (required)", "fr": "Motif (obligatoire)"},
    "split.submit": {"en": "Split", "fr": "Séparer"},
    "split.done": {
        "en": "Split: the records you ticked are now a profile of their own.",
        "fr": "Séparé : les fiches cochées forment maintenant un profil à part.",
    },
    "split.this_profile": {"en": "This profile", "fr": "Ce profil"},
    "split.new_profile": {"en": "The new profile", "fr": "Le nouveau profil"},
    "split.undo_reason": {
        "en": "Reason to undo (required)",
        "fr": "Motif de l'annulation (obligatoire)",
    },
    "split.undo": {"en": "Undo", "fr": "Annuler"},
    "split.undone": {
        "en": "Undone: the profile has its records back.",
        "fr": "Annulé : le profil a retrouvé ses fiches.",
    },
}
MESSAGES.update(REVIEW_MESSAGES)

Translate = Callable[..., str]


def choose_language(chosen: str | None, accept_language: str | None) -> str:
    """The language a viewer chose with the switch, else the first of Accept-Language the
    console speaks (``fr-FR,fr;q=0.9,en;q=0.8`` gives French), else English."""
    if chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.split("-")[0].lower()))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def translator(language: str) -> Translate:
    """``t(id, **values)``: the message ``id`` in ``language``, with ``{values}`` filled in."""

    def t(message_id: str, **values: object) -> str:
        texts = MESSAGES[message_id]  # KeyError: a template asks for a message nobody wrote
        text = texts.get(language) or texts[DEFAULT_LANGUAGE]
        return text.format(**values) if values else text

    return t


def label(t: Translate, group: str, name: str) -> str:
    """The label of a name from the data (a golden field, an identifier kind) in ``group`` of
    the catalogue; a name the catalogue does not know shows as it is, made readable."""
    name = name.lower()
    message_id = f"{group}.{name}"
    return t(message_id) if message_id in MESSAGES else name.replace("_", " ")
