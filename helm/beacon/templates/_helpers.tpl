{{/* Resource name: <release>-beacon, or the release name alone when it already contains "beacon". */}}
{{- define "beacon.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The headless Service that gives each server a stable DNS name. */}}
{{- define "beacon.headless" -}}
{{- printf "%s-headless" (include "beacon.fullname" .) -}}
{{- end -}}

{{- define "beacon.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "beacon.labels" -}}
{{ include "beacon.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Stable DNS name of server number i (argument: list of root context and index). */}}
{{- define "beacon.serverHost" -}}
{{- $root := index . 0 -}}
{{- $namespace := $root.Release.Namespace -}}
{{- $domain := printf "%s.%s.svc.%s" (include "beacon.headless" $root) $namespace $root.Values.clusterDomain -}}
{{- printf "%s-%d.%s" (include "beacon.fullname" $root) (index . 1) $domain -}}
{{- end -}}

{{/* Every server's stable name, comma-separated: the retry-join list (a server skips its own entry). */}}
{{- define "beacon.retryJoin" -}}
{{- $root := . -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.replicas) -}}
{{- $hosts = append $hosts (include "beacon.serverHost" (list $root $i)) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}
