/** Stored model settings; an empty base URL means the built-in offline model. */
export interface StoredModelSettings {
  base_url: string | null;
  model: string | null;
  api_key: string | null;
}

/** The evolution sweep's interval as chosen in the console; wins over EVOLUTION_SWEEP_INTERVAL_MINUTES once set. */
export interface EvolutionScheduleSetting {
  enabled: boolean;
  interval_minutes: number;
}
