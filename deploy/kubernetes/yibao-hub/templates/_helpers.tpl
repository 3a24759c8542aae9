{{/* Names and labels shared by every template. */}}

{{- define "yibao-hub.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "yibao-hub.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Every resource's labels; call with (dict "root" $ "component" $name). */}}
{{- define "yibao-hub.labels" -}}
{{ include "yibao-hub.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: {{ include "yibao-hub.name" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The labels that select one component's pods; call with (dict "root" $ "component" $name). */}}
{{- define "yibao-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "yibao-hub.componentName" -}}
{{- printf "%s-%s" (include "yibao-hub.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "yibao-hub.kafkaBrokers" -}}
{{- if .Values.kafka.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap.%s.svc:9092" .Values.kafka.strimzi.clusterName .Release.Namespace -}}
{{- else -}}
{{- .Values.kafka.brokers -}}
{{- end -}}
{{- end -}}

{{- define "yibao-hub.otlpEndpoint" -}}
{{- if .Values.tracing.otlpEndpoint -}}
{{- .Values.tracing.otlpEndpoint -}}
{{- else if .Values.otelCollector.enabled -}}
{{- printf "http://%s:4318" (include "yibao-hub.componentName" (dict "root" . "component" "otel-collector")) -}}
{{- end -}}
{{- end -}}

{{/* Every topic with its dead-letter twin. */}}
{{- define "yibao-hub.compactedTopics" -}}
{{- range .Values.kafka.compactedTopics }}
- {{ printf "%s%s" $.Values.kafka.topicPrefix . }}
{{- end }}
{{- end -}}

{{- define "yibao-hub.allTopics" -}}
{{- range .Values.kafka.topics }}
- {{ printf "%s%s" $.Values.kafka.topicPrefix . }}
- {{ printf "%s%s.dlq" $.Values.kafka.topicPrefix . }}
{{- end }}
{{- end -}}
