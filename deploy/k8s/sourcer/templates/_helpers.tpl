{{/* Names and labels shared by every object of the chart. */}}

{{- define "sourcer.name" -}}
{{ .Release.Name }}
{{- end -}}

{{- define "sourcer.labels" -}}
app.kubernetes.io/part-of: sourcer
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service's pods: (dict "root" $ "service" "gateway") */}}
{{- define "sourcer.selector" -}}
app.kubernetes.io/name: sourcer-{{ .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "sourcer.image" -}}
{{ .root.Values.image.repository }}/{{ .service }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{/* A service's queue names as the code declares them (files/consumers.json, generated from
     the consumer specs by deploy/k8s/consumers.py), with the bus namespace in front. */}}
{{- define "sourcer.queues" -}}
{{- $all := .root.Files.Get "files/consumers.json" | fromJson -}}
{{- $names := list -}}
{{- range (index $all .service) -}}
{{- $names = append $names (printf "%s%s" $.root.Values.common.busNamespace .) -}}
{{- end -}}
{{- $names | toJson -}}
{{- end -}}

{{/* Seconds SIGTERM may take: the preStop pause, then the HTTP listener and the consumers may
     each use a whole drain timeout (the runtime stops them one after the other; jobs and the
     bus close are short), plus a margin. tests/deploy/test_chart.py checks the rule. */}}
{{- define "sourcer.grace" -}}
{{ add .root.Values.pod.preStopSeconds (mul 2 .cfg.drainSeconds) 15 }}
{{- end -}}
