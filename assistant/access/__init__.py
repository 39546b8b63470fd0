"""Who may call the API, from where, and how often: keys, origins and quotas."""
