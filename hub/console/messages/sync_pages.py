"""Labels of the sync health, quarantine and audit log pages (admins)."""

from __future__ import annotations

SYNC_PAGES: dict[str, dict[str, str]] = {
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
}
