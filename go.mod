module github.com/gojxta/gojxta

go 1.26

require (
	github.com/google/uuid v1.6.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/beevik/etree v1.8.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
