/** Template choices offered when creating a framework (replaced by lib/framework's list). */
export const TEMPLATE_OPTIONS = [
  {
    id: 'five-layer',
    name: 'Five-layer plan',
    description:
      'Monitoring, presence, US enablers, integration, eastern flank, with air and maritime parts',
  },
  {
    id: 'four-leg',
    name: 'Four-leg package',
    description:
      'European presence, US-enabled air and command shield, ratified triggers, industrial-financial pipeline',
  },
  { id: 'blank', name: 'Blank framework', description: 'Start with no layers' },
] as const;

export const TEMPLATE_IDS: readonly string[] = TEMPLATE_OPTIONS.map((t) => t.id);
