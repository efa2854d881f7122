"""Words spaCy's small model takes for people's names that are tools, products, code or places.

Used by `person_filter.SpacyPersonRecognizer` and `names.NameRecognizer` to drop PERSON
findings such as "Grafana", "Kafka", "git log", "JDBC" or "Compare Claude". Lower case;
compared with each word of a finding. Extend it in code review, not per deployment:
a name that is also a tool ("Ruby", "Julia", "Hope") is kept when other words make it a
person ("Ruby Chen"), since only findings made *only* of these words are dropped.
"""

from __future__ import annotations

TECHNICAL_TERMS = frozenset(
    """
    grafana prometheus kafka jira confluence bitbucket django flask fastapi ansible terraform pulumi kubernetes k8s
    docker podman jenkins argo argocd helm istio envoy consul vault nomad nginx apache tomcat redis memcached mongo
    mongodb postgres postgresql mysql mariadb sqlite oracle cassandra elastic elasticsearch opensearch kibana
    logstash splunk datadog sentry pagerduty airflow spark hadoop hive kafka flink pandas numpy scipy pytorch
    tensorflow keras sklearn jupyter colab react angular vue svelte nextjs nuxt node nodejs deno bun typescript
    javascript python java ruby perl php scala haskell elixir erlang clojure golang kotlin rustc cargo pip conda poetry maven gradle npm yarn pnpm webpack vite babel jest
    mocha cypress selenium playwright vercel netlify heroku azure aws gcp firebase supabase stripe twilio slack
    zoom outlook excel powerpoint notion figma trello asana salesforce hubspot zapier shopify wordpress drupal
    vscode vim neovim emacs bash zsh powershell git github gitlab jdbc odbc graphql grpc protobuf openapi swagger
    linux ubuntu debian fedora centos alpine macos windows android ios chrome firefox safari alexa siri cortana
    claude gemini mistral llama chatgpt gpt copilot bard openai anthropic ollama langchain huggingface
    log commit push pull diff rebase checkout merge
    google microsoft amazon apple meta ibm sap cloud services solutions group corp inc ltd gmbh llc plc bank
    university hospital council office department ministry agency team
    convert summarise summarize compare explain translate draft write refactor generate rewrite
    finanzamt reisepass personalausweis krankenkasse ayuntamiento rijksregisternummer
    ramadan diwali hanukkah eid christmas easter rosh hashanah
    """.split()
)
