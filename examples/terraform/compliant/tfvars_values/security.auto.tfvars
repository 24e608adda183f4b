metric_namespace = "CISBenchmark"
