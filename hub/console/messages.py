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
    # Sync health, the quarantine and the audit log (admins).
    "nav.sync": {"en": "Sync", "fr": "Synchronisation"},
    "nav.audit": {"en": "Audit log", "fr": "Journal d'audit"},
    "not_allowed.title": {"en": "Not allowed", "fr": "Accès refusé"},
    "not_allowed.text": {
        "en": "Your key's role does not allow this page. Ask an administrator if you need it.",
        "fr": "Le rôle de votre clé ne permet pas d'ouvrir cette page. Demandez à un "
        "administrateur si vous en avez besoin.",
    },
    "action.refused": {
        "en": "The hub did not do it: {message} ({code}).",
        "fr": "Le hub ne l'a pas fait : {message} ({code}).",
    },
    "status.running": {"en": "running", "fr": "en cours"},
    "status.succeeded": {"en": "succeeded", "fr": "réussie"},
    "status.failed": {"en": "failed", "fr": "échouée"},
    "status.open": {"en": "open", "fr": "en attente"},
    "status.replayed": {"en": "replayed", "fr": "relue"},
    "status.all": {"en": "all", "fr": "toutes"},
    "sync.title": {"en": "Sync health", "fr": "État des synchronisations"},
    "sync.none": {
        "en": "No connector instance is configured or has synced yet.",
        "fr": "Aucune instance de connecteur n'est configurée ni n'a encore synchronisé.",
    },
    "sync.not_configured": {
        "en": "No longer in plugins.toml: history only.",
        "fr": "Retirée de plugins.toml : historique seulement.",
    },
    "sync.streams": {"en": "Streams and cursors", "fr": "Flux et curseurs"},
    "sync.stream": {"en": "Stream", "fr": "Flux"},
    "sync.cursor": {"en": "Resumes at", "fr": "Reprend à"},
    "sync.cursor_none": {"en": "the start (full read)", "fr": "le début (lecture complète)"},
    "sync.cursor_updated": {"en": "Saved", "fr": "Enregistré"},
    "sync.no_streams": {
        "en": "No cursor saved yet: the next run reads everything.",
        "fr": "Aucun curseur enregistré : la prochaine exécution lit tout.",
    },
    "sync.runs": {"en": "Last runs", "fr": "Dernières exécutions"},
    "sync.no_runs": {"en": "No run yet.", "fr": "Aucune exécution pour l'instant."},
    "sync.run": {"en": "Run", "fr": "Exécution"},
    "sync.status": {"en": "Status", "fr": "État"},
    "sync.started": {"en": "Started", "fr": "Début"},
    "sync.finished": {"en": "Finished", "fr": "Fin"},
    "sync.error": {"en": "Error", "fr": "Erreur"},
    "count.fetched": {"en": "Fetched", "fr": "Lus"},
    "count.inserted": {"en": "Inserted", "fr": "Ajoutés"},
    "count.updated": {"en": "Updated", "fr": "Modifiés"},
    "count.unchanged": {"en": "Unchanged", "fr": "Inchangés"},
    "count.quarantined": {"en": "Quarantined", "fr": "En quarantaine"},
    "count.errors": {"en": "Errors", "fr": "Erreurs"},
    "sync.mode": {"en": "Mode", "fr": "Mode"},
    "sync.mode.incremental": {
        "en": "Incremental (from the cursors)",
        "fr": "Incrémentale (depuis les curseurs)",
    },
    "sync.mode.full": {"en": "Full (read everything)", "fr": "Complète (tout relire)"},
    "sync.now": {"en": "Sync now", "fr": "Synchroniser"},
    "sync.bad_mode": {
        "en": "Unknown sync mode “{mode}”: choose incremental or full.",
        "fr": "Mode de synchronisation « {mode} » inconnu : choisissez incrémentale ou complète.",
    },
    "sync.job_running": {
        "en": "The sync of {connector} is running. Reload the page to follow it.",
        "fr": "La synchronisation de {connector} est en cours. Rechargez la page pour la suivre.",
    },
    "sync.job_succeeded": {
        "en": "The sync of {connector} succeeded (run {run}).",
        "fr": "La synchronisation de {connector} a réussi (exécution {run}).",
    },
    "sync.job_failed": {
        "en": "The sync of {connector} failed: {error}",
        "fr": "La synchronisation de {connector} a échoué : {error}",
    },
    "sync.job_unknown": {
        "en": "This sync is no longer followed (the server restarted); its run is listed below.",
        "fr": "Cette synchronisation n'est plus suivie (le serveur a redémarré) ; son exécution "
        "figure ci-dessous.",
    },
    "sync.reload": {"en": "Reload", "fr": "Recharger"},
    "sync.quarantine_link": {"en": "Quarantine", "fr": "Quarantaine"},
    "quarantine.title": {"en": "Quarantine", "fr": "Quarantaine"},
    "quarantine.intro": {
        "en": "Payloads a sync could not read, kept with the reason. Fix the mapping or the "
        "settings, then replay: those that now read are stored, the others stay here.",
        "fr": "Données qu'une synchronisation n'a pas pu lire, gardées avec la raison. Corrigez "
        "le mapping ou les réglages, puis relisez : celles qui passent sont enregistrées, les "
        "autres restent ici.",
    },
    "quarantine.connector": {"en": "Connector instance", "fr": "Instance de connecteur"},
    "quarantine.any_connector": {"en": "All instances", "fr": "Toutes les instances"},
    "quarantine.status": {"en": "Status", "fr": "État"},
    "quarantine.filter": {"en": "Show", "fr": "Afficher"},
    "quarantine.none": {
        "en": "Nothing in quarantine for this choice.",
        "fr": "Rien en quarantaine pour ce choix.",
    },
    "quarantine.received": {"en": "Received", "fr": "Reçue le"},
    "quarantine.stream": {"en": "Stream", "fr": "Flux"},
    "quarantine.source_id": {"en": "Id in the source", "fr": "Identifiant source"},
    "quarantine.reason": {"en": "Reason", "fr": "Raison"},
    "quarantine.attempts": {"en": "Replays", "fr": "Relectures"},
    "quarantine.payload": {"en": "Payload as received", "fr": "Données reçues"},
    "show_all": {
        "en": "Show all ({length} characters)",
        "fr": "Tout afficher ({length} caractères)",
    },
    "quarantine.payload_hidden": {
        "en": "Raw payloads: your key may not read them",
        "fr": "Données brutes : votre clé ne permet pas de les lire",
    },
    "quarantine.replay": {
        "en": "Replay the open payloads of {connector}",
        "fr": "Relire les données en attente de {connector}",
    },
    "quarantine.replay_hint": {
        "en": "Choose one connector instance to replay its quarantine.",
        "fr": "Choisissez une instance de connecteur pour relire sa quarantaine.",
    },
    "quarantine.replayed": {
        "en": "Replay of {connector}: {replayed} read and stored, {failing} still failing, "
        "{requeued} failed webhook(s) queued again.",
        "fr": "Relecture de {connector} : {replayed} lue(s) et enregistrée(s), {failing} "
        "toujours en échec, {requeued} webhook(s) en échec remis en file.",
    },
    "quarantine.bad_status": {
        "en": "Unknown status “{status}”: choose open, replayed or all.",
        "fr": "État « {status} » inconnu : choisissez en attente, relue ou toutes.",
    },
    "pager.next": {"en": "Next page", "fr": "Page suivante"},
    "pager.first": {"en": "First page", "fr": "Première page"},
    "pager.label": {"en": "Pages", "fr": "Pages"},
    "audit.title": {"en": "Audit log", "fr": "Journal d'audit"},
    "audit.intro": {
        "en": "Every change made through the hub, newest first: who, when, what and why.",
        "fr": "Chaque modification faite par le hub, la plus récente d'abord : qui, quand, "
        "quoi et pourquoi.",
    },
    "audit.subject_label": {"en": "Subject", "fr": "Sujet"},
    "audit.subject_hint": {
        "en": "kind:id, e.g. profile:… or connector:crm. Empty: every entry.",
        "fr": "type:identifiant, p. ex. profile:… ou connector:crm. Vide : toutes les entrées.",
    },
    "audit.filter": {"en": "Filter", "fr": "Filtrer"},
    "audit.clear": {"en": "Show every entry", "fr": "Toutes les entrées"},
    "audit.bad_subject": {
        "en": "A subject reads kind:id (profile:…, connector:crm): the kind, a colon, the id.",
        "fr": "Un sujet s'écrit type:identifiant (profile:…, connector:crm) : le type, "
        "deux-points, l'identifiant.",
    },
    "audit.none": {"en": "No audit entry for this choice.", "fr": "Aucune entrée pour ce choix."},
    "audit.when": {"en": "When", "fr": "Quand"},
    "audit.actor": {"en": "Who", "fr": "Qui"},
    "audit.action": {"en": "Action", "fr": "Action"},
    "audit.subject": {"en": "Subject", "fr": "Sujet"},
    "audit.reason": {"en": "Why", "fr": "Pourquoi"},
    "audit.details": {"en": "Details", "fr": "Détails"},
    "audit.open_customer": {"en": "open the customer", "fr": "ouvrir le client"},
    "audit.only_subject": {"en": "only this subject", "fr": "ce sujet seulement"},
    # User accounts (a name and a password backed by an API key).
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

# The 360 page's consents, key figures, timeline and identity graph, and the search's matches.
MESSAGES.update(
    {
        "search.matched": {"en": "matched on", "fr": "trouvé par"},
        "search.no_activity": {"en": "none yet", "fr": "aucune"},
        "match.name": {"en": "name", "fr": "nom"},
        "match.city": {"en": "city", "fr": "ville"},
        "match.email": {"en": "e-mail", "fr": "e-mail"},
        "match.phone": {"en": "phone", "fr": "téléphone"},
        "match.postcode": {"en": "postcode", "fr": "code postal"},
        "match.loyalty_card": {"en": "loyalty card", "fr": "carte de fidélité"},
        "match.source_customer_id": {"en": "id in a source", "fr": "identifiant source"},
        "consents.title": {"en": "Consents", "fr": "Consentements"},
        "consents.caption": {
            "en": "The newest word of each channel and purpose; the timeline holds the history.",
            "fr": "Le dernier choix par canal et finalité ; la chronologie garde l'historique.",
        },
        "consents.channel": {"en": "Channel", "fr": "Canal"},
        "consents.purpose": {"en": "Purpose", "fr": "Finalité"},
        "consents.state": {"en": "State", "fr": "État"},
        "consents.given_through": {"en": "Given through", "fr": "Recueilli via"},
        "consents.since": {"en": "Since", "fr": "Depuis"},
        "consents.none": {"en": "No consent recorded.", "fr": "Aucun consentement enregistré."},
        "channel.email": {"en": "E-mail", "fr": "E-mail"},
        "channel.sms": {"en": "SMS", "fr": "SMS"},
        "channel.phone": {"en": "Phone", "fr": "Téléphone"},
        "channel.post": {"en": "Post", "fr": "Courrier"},
        "channel.all": {"en": "All channels", "fr": "Tous canaux"},
        "state.granted": {"en": "given", "fr": "donné"},
        "state.denied": {"en": "refused", "fr": "refusé"},
        "state.pending": {"en": "pending", "fr": "en attente"},
        "state.unknown": {"en": "unknown", "fr": "inconnu"},
        "state.done": {"en": "signed", "fr": "signé"},
        "state.ongoing": {"en": "awaiting signature", "fr": "en attente de signature"},
        "state.declined": {"en": "declined", "fr": "refusé"},
        "state.expired": {"en": "expired", "fr": "expiré"},
        "state.canceled": {"en": "cancelled", "fr": "annulé"},
        "state.active": {"en": "active", "fr": "actif"},
        "state.paid": {"en": "paid", "fr": "payée"},
        "state.refunded": {"en": "refunded", "fr": "remboursée"},
        "figures.title": {"en": "Key figures", "fr": "Chiffres clés"},
        "figures.caption": {
            "en": "Over the records your key may see.",
            "fr": "Sur les fiches visibles avec votre clé.",
        },
        "figures.spend": {"en": "Lifetime spend", "fr": "Total des achats"},
        "figures.brand": {"en": "Brand", "fr": "Marque"},
        "figures.purchases": {"en": "Purchases", "fr": "Achats"},
        "figures.total": {"en": "Total", "fr": "Total"},
        "figures.no_brand": {"en": "no brand", "fr": "sans marque"},
        "figures.no_spend": {"en": "No purchase yet.", "fr": "Aucun achat pour l'instant."},
        "figures.orders": {"en": "Orders", "fr": "Commandes"},
        "figures.receipts": {"en": "Receipts", "fr": "Tickets de caisse"},
        "figures.active_subscriptions": {
            "en": "Active subscriptions",
            "fr": "Souscriptions actives",
        },
        "figures.partner_products": {"en": "Partner products", "fr": "Produits partenaires"},
        "figures.active_partner_products": {"en": "{count} active", "fr": "{count} actif(s)"},
        "figures.last_activity": {"en": "Last activity:", "fr": "Dernière activité :"},
        "figures.never": {"en": "none yet", "fr": "aucune"},
        "timeline.title": {"en": "Timeline", "fr": "Chronologie"},
        "timeline.caption": {
            "en": "Orders, receipts, subscriptions, partner products, consents and identity "
            "decisions, newest first.",
            "fr": "Commandes, tickets, souscriptions, produits partenaires, consentements et "
            "décisions d'identité, du plus récent au plus ancien.",
        },
        "timeline.empty": {"en": "Nothing has happened yet.", "fr": "Rien ne s'est encore passé."},
        "timeline.more": {"en": "Show more", "fr": "Afficher la suite"},
        "timeline.newest": {"en": "Back to the newest", "fr": "Revenir au plus récent"},
        "timeline.undated": {"en": "date unknown", "fr": "date inconnue"},
        "timeline.order": {"en": "Order {number}", "fr": "Commande {number}"},
        "timeline.receipt": {"en": "Receipt, store {store}", "fr": "Ticket, magasin {store}"},
        "timeline.subscription": {
            "en": "Subscription: {product}",
            "fr": "Souscription : {product}",
        },
        "timeline.partner_product": {
            "en": "Partner product: {product} ({partner})",
            "fr": "Produit partenaire : {product} ({partner})",
        },
        "timeline.consent": {
            "en": "Consent, {channel} / {purpose}",
            "fr": "Consentement, {channel} / {purpose}",
        },
        "timeline.event": {"en": "Event: {name}", "fr": "Événement : {name}"},
        "timeline.decision.merge": {
            "en": "Merged with profile {other}",
            "fr": "Fusion avec le profil {other}",
        },
        "timeline.decision.split": {
            "en": "Split with profile {other}",
            "fr": "Séparation d'avec le profil {other}",
        },
        "timeline.decision.never_merge": {
            "en": "Never to be merged with profile {other}",
            "fr": "À ne jamais fusionner avec le profil {other}",
        },
        "timeline.decision.undo": {"en": "Decision undone", "fr": "Décision annulée"},
        "timeline.decided_by": {"en": "by {who}", "fr": "par {who}"},
        "timeline.automatic": {
            "en": "automatically, by identity resolution",
            "fr": "automatiquement, par le rapprochement d'identités",
        },
        "graph.title": {"en": "Identity", "fr": "Identité"},
        "graph.caption": {
            "en": "Each source record of the profile, and the matches that joined them, with "
            "their score in bits. Hover or focus a line for the rule and the evidence.",
            "fr": "Chaque fiche source du profil et les rapprochements qui les ont réunies, avec "
            "leur score en bits. Survolez ou sélectionnez un trait pour la règle et les preuves.",
        },
        "graph.summary": {
            "en": "{records} source record(s), {links} match(es)",
            "fr": "{records} fiche(s) source, {links} rapprochement(s)",
        },
        "graph.too_many": {
            "en": "Too many records to draw ({count}): the matches are listed below.",
            "fr": "Trop de fiches pour un dessin ({count}) : les rapprochements sont listés.",
        },
        "graph.as_table": {"en": "The matches as a table", "fr": "Les rapprochements en tableau"},
        "graph.record": {"en": "Record", "fr": "Fiche"},
        "graph.matched_with": {"en": "Matched with", "fr": "Rapprochée de"},
        "graph.rule": {"en": "Rule", "fr": "Règle"},
        "graph.score": {"en": "Score", "fr": "Score"},
        "graph.outcome": {"en": "Outcome", "fr": "Issue"},
        "graph.evidence": {"en": "Evidence", "fr": "Preuves"},
        "graph.linked_by": {"en": "Linked by", "fr": "Rattachée par"},
        "graph.no_links": {
            "en": "No match to show: the profile has one record, or its records were joined by "
            "agents.",
            "fr": "Aucun rapprochement à montrer : le profil n'a qu'une fiche, ou ses fiches ont "
            "été réunies par des agents.",
        },
    }
)

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
