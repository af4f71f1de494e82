"""Labels of the review queue, the identity decisions and splitting a profile."""

from __future__ import annotations

REVIEW: dict[str, dict[str, str]] = {
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
    "review_status.open": {"en": "open", "fr": "à valider"},
    "review_status.merged": {"en": "merged", "fr": "fusionnés"},
    "review_status.kept_apart": {"en": "kept apart", "fr": "gardés séparés"},
    "review_status.never_merge": {"en": "never merge", "fr": "ne jamais fusionner"},
    "review_status.resolved": {"en": "resolved by a later run", "fr": "résolue par un traitement"},
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
    "split.section": {"en": "Identity decisions", "fr": "Décisions d'identité"},
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
