"""Tool names in letter duties, restated as the kind of work the tool is for.

Letters name their tools ("Built UIs in React", "CI/CD with GitHub Actions"); the NOC names the
work ("develop web sites and web applications", "write, modify, integrate and test software
code"). A sentence embedding knows little of what a tool name means, so :func:`describe_tools`
appends to a duty a short phrase for each tool it names, in the NOC's own words.

Notes
-----
:data:`TOOL_FUNCTIONS` was written by hand from tools common in Canadian IT reference letters.
Each phrase uses the vocabulary of the NOC 2021 main duties of unit groups 20012 (computer and
information systems managers), 21211 (data scientists), 21220 (cybersecurity), 21221 (business
systems specialists), 21222 (information systems specialists), 21223 (database analysts), 21230
(computer systems developers), 21231 (software engineers), 21232 (software developers and
programmers), 21233 (web designers), 21234 (web developers), 22220 (network technicians), 22221
(user support technicians) and 22222 (information systems testing technicians). Generic
project tools (Jira, Trello) get mild phrases so that they do not pull a letter towards a code.
"""

from __future__ import annotations

import re

#: Canonical tool name -> the kind of work it is for, in NOC 2021 duty wording.
TOOL_FUNCTIONS: dict[str, str] = {
    # --- programming languages (21230, 21231, 21232: "write, modify, integrate and test software code")
    "Java": "writing software code",
    "Python": "writing software code",
    "C#": "writing software code",
    "C++": "writing software code",
    "C": "writing software code",
    "Go": "writing software code",
    "Rust": "writing software code",
    "Scala": "writing software code",
    "Kotlin": "writing software code",
    "Perl": "writing software code",
    "Visual Basic": "writing software code",
    "VB.NET": "writing software code",
    "JavaScript": "web application programming",
    "TypeScript": "writing software code",
    "PHP": "web application programming",
    "Ruby": "writing software code",
    "Swift": "mobile application programming",
    "Objective-C": "mobile application programming",
    "Dart": "mobile application programming",
    "COBOL": "mainframe software programming",
    "JCL": "mainframe software programming",
    "CICS": "mainframe software programming",
    "Assembly language": "low-level software programming",
    "R": "statistical data analysis programming",
    "MATLAB": "mathematical modeling and data analysis",
    "SAS": "statistical data analysis",
    "SPSS": "statistical data analysis",
    "SQL": "database queries and data extraction",
    "Bash": "shell scripting",
    "PowerShell": "shell scripting and automation",
    "VBA": "spreadsheet automation scripting",
    # --- embedded systems (21231: "embedded software control systems")
    "FreeRTOS": "embedded software control systems",
    "RTOS": "embedded software control systems",
    "Embedded Linux": "embedded software control systems",
    "Arduino": "embedded software control systems",
    # --- web front end (21234: "web site related code and web application interfaces"; 21233: design)
    "HTML": "web page development",
    "CSS": "web site design and layout",
    "Sass": "web site design and layout",
    "Tailwind CSS": "web site design and layout",
    "Bootstrap": "web site design and layout",
    "React": "web user interface development",
    "Angular": "web user interface development",
    "AngularJS": "web user interface development",
    "Vue.js": "web user interface development",
    "Next.js": "web user interface development",
    "Svelte": "web user interface development",
    "Redux": "web user interface development",
    "jQuery": "web user interface development",
    "Blazor": "web user interface development",
    "AJAX": "web user interface development",
    "D3.js": "web data visualization",
    "Webpack": "web application build configuration",
    "npm": "software package management",
    "Figma": "web site and interface design",
    "Adobe XD": "web site and interface design",
    "Sketch": "web site and interface design",
    "Photoshop": "web site visual imagery design",
    "Adobe Illustrator": "web site visual imagery design",
    "Dreamweaver": "web page development",
    # --- back end and interfaces (21232: "Internet and mobile applications"; 21234: "web application interfaces")
    "Spring": "server-side application development",
    "Spring Boot": "server-side application development",
    "Spring MVC": "server-side application development",
    "Jakarta EE": "server-side application development",
    "JSP": "server-side application development",
    "Django": "server-side application development",
    "Flask": "server-side application development",
    "FastAPI": "server-side application development",
    "Node.js": "server-side application development",
    "Express": "server-side application development",
    "NestJS": "server-side application development",
    ".NET": "server-side application development",
    "ASP.NET": "server-side application development",
    "Ruby on Rails": "server-side application development",
    "Laravel": "server-side application development",
    "REST": "application programming interfaces",
    "GraphQL": "application programming interfaces",
    "gRPC": "application programming interfaces",
    "SOAP": "application programming interfaces",
    "OpenAPI": "web service interface documentation",
    "Hibernate": "application database integration",
    "JPA": "application database integration",
    "Entity Framework": "application database integration",
    "Kafka": "data streaming and systems integration",
    "RabbitMQ": "messaging for systems integration",
    "Amazon SQS": "messaging for systems integration",
    "Amazon SNS": "messaging for systems integration",
    "MuleSoft": "systems integration",
    "Tomcat": "web server installation and maintenance",
    "WebLogic": "web server installation and maintenance",
    "WebSphere": "web server installation and maintenance",
    "IIS": "web server installation and maintenance",
    "Nginx": "web server installation and maintenance",
    "Apache HTTP Server": "web server installation and maintenance",
    "Maven": "software build automation",
    "Gradle": "software build automation",
    # --- testing (22222: "software testing plans", "execute, analyze and document results of ... tests")
    "JUnit": "testing software code",
    "TestNG": "testing software code",
    "Mockito": "testing software code",
    "pytest": "testing software code",
    "Jest": "testing software code",
    "Mocha": "testing software code",
    "Jasmine": "testing software code",
    "NUnit": "testing software code",
    "Cucumber": "testing software code",
    "Selenium": "automated software testing",
    "Cypress": "automated software testing",
    "Playwright": "automated software testing",
    "Puppeteer": "automated software testing",
    "Appium": "automated software testing",
    "Robot Framework": "automated software testing",
    "UFT": "automated software testing",
    "Postman": "web service interface testing",
    "SoapUI": "web service interface testing",
    "JMeter": "software performance testing",
    "LoadRunner": "software performance testing",
    "TestRail": "software test planning and tracking",
    "SonarQube": "software code quality analysis",
    # --- deployment, CI/CD and operations (21231: "installation, integration and operation of computer-based systems")
    "Docker": "application packaging and deployment",
    "Kubernetes": "deployment and operation of computer systems",
    "OpenShift": "deployment and operation of computer systems",
    "Helm": "deployment and operation of computer systems",
    "Argo CD": "deployment and operation of computer systems",
    "Amazon ECS": "deployment and operation of computer systems",
    "Amazon EKS": "deployment and operation of computer systems",
    "Terraform": "cloud infrastructure installation and configuration",
    "CloudFormation": "cloud infrastructure installation and configuration",
    "Ansible": "automated server configuration",
    "Puppet": "automated server configuration",
    "Chef Infra": "automated server configuration",
    "CI/CD": "automated software build and deployment",
    "Jenkins": "automated software build and deployment",
    "GitHub Actions": "automated software build and deployment",
    "GitLab CI": "automated software build and deployment",
    "CircleCI": "automated software build and deployment",
    "Travis CI": "automated software build and deployment",
    "Azure DevOps": "automated software build and deployment",
    "Bamboo": "automated software build and deployment",
    "TeamCity": "automated software build and deployment",
    "Prometheus": "monitoring computer systems performance",
    "Grafana": "monitoring computer systems performance",
    "Datadog": "monitoring computer systems performance",
    "New Relic": "monitoring computer systems performance",
    "Dynatrace": "monitoring computer systems performance",
    "Nagios": "monitoring computer systems performance",
    "SolarWinds": "monitoring computer systems performance",
    "Amazon CloudWatch": "monitoring computer systems performance",
    "ELK": "log analysis and systems monitoring",
    "Elastic Stack": "log analysis and systems monitoring",
    "Logstash": "log analysis and systems monitoring",
    "Kibana": "log analysis and systems monitoring",
    "Splunk": "security monitoring of computer systems",
    "PagerDuty": "system incident alerting and response",
    "Linux": "server operating system administration",
    "Unix": "server operating system administration",
    "Ubuntu": "server operating system administration",
    "Red Hat Enterprise Linux": "server operating system administration",
    "CentOS": "server operating system administration",
    "Windows Server": "server operating system administration",
    "z/OS": "mainframe operating system administration",
    # --- cloud platforms and services
    "AWS": "cloud computing systems and infrastructure",
    "Azure": "cloud computing systems and infrastructure",
    "GCP": "cloud computing systems and infrastructure",
    "Oracle Cloud": "cloud computing systems and infrastructure",
    "Heroku": "cloud application hosting",
    "Amazon EC2": "cloud servers and computing infrastructure",
    "Amazon S3": "cloud data storage",
    "AWS Lambda": "serverless cloud application code",
    "Azure Functions": "serverless cloud application code",
    "Amazon RDS": "cloud database administration",
    "Firebase": "mobile and web application back end",
    # --- data science and machine learning (21211)
    "pandas": "data preparation and analysis",
    "NumPy": "data preparation and analysis",
    "SciPy": "data preparation and analysis",
    "Alteryx": "data preparation and analysis",
    "Jupyter": "data analysis and experimentation",
    "scikit-learn": "machine learning models",
    "XGBoost": "machine learning models",
    "TensorFlow": "deep learning and neural networks",
    "PyTorch": "deep learning and neural networks",
    "Keras": "deep learning and neural networks",
    "Hugging Face": "artificial intelligence language models",
    "NLTK": "natural language processing models",
    "spaCy": "natural language processing models",
    "OpenCV": "computer vision models",
    "MLflow": "machine learning model deployment",
    "SageMaker": "machine learning model deployment",
    "Matplotlib": "data visualization",
    "Seaborn": "data visualization",
    "Tableau": "data analysis and visualization reports",
    "Power BI": "data analysis and visualization reports",
    "Looker": "data analysis and visualization reports",
    "Qlik": "data analysis and visualization reports",
    "SSRS": "database reports development",
    "Crystal Reports": "database reports development",
    "Google Analytics": "web site data analysis",
    "Excel": "spreadsheet data analysis",
    "Spark": "large-scale data processing",
    "PySpark": "large-scale data processing",
    "Hadoop": "large-scale data processing",
    "HDFS": "large-scale data processing",
    "Hive": "large-scale data processing",
    "Databricks": "large-scale data processing",
    "Apache Flink": "large-scale data processing",
    "Airflow": "data extraction and integration pipelines",
    "dbt": "data extraction and integration pipelines",
    "SSIS": "data extraction and integration pipelines",
    "Informatica": "data extraction and integration pipelines",
    "Talend": "data extraction and integration pipelines",
    "Azure Data Factory": "data extraction and integration pipelines",
    "AWS Glue": "data extraction and integration pipelines",
    "Snowflake": "data warehouse design and analysis",
    "BigQuery": "data warehouse design and analysis",
    "Redshift": "data warehouse design and analysis",
    "Azure Synapse": "data warehouse design and analysis",
    "Teradata": "data warehouse design and analysis",
    # --- databases (21223: "data models and database management systems")
    "PostgreSQL": "database design and administration",
    "MySQL": "database design and administration",
    "MariaDB": "database design and administration",
    "Oracle": "database design and administration",
    "SQL Server": "database design and administration",
    "SQLite": "database design and administration",
    "Db2": "database design and administration",
    "Microsoft Access": "database design and administration",
    "NoSQL": "non-relational database design and administration",
    "MongoDB": "non-relational database design and administration",
    "Cassandra": "non-relational database design and administration",
    "DynamoDB": "non-relational database design and administration",
    "Cosmos DB": "non-relational database design and administration",
    "Firestore": "non-relational database design and administration",
    "Neo4j": "graph database design and administration",
    "Redis": "in-memory data caching",
    "Elasticsearch": "data search and indexing",
    "PL/SQL": "stored procedures and triggers",
    "T-SQL": "stored procedures and triggers",
    # --- security (21220: "security software and tools", "monitor access and credentials")
    "SIEM": "security monitoring of computer systems",
    "Splunk Enterprise Security": "security monitoring of computer systems",
    "QRadar": "security monitoring of computer systems",
    "Microsoft Sentinel": "security monitoring of computer systems",
    "CrowdStrike": "automated threat detection and anti-virus",
    "Carbon Black": "automated threat detection and anti-virus",
    "SentinelOne": "automated threat detection and anti-virus",
    "Microsoft Defender": "automated threat detection and anti-virus",
    "Nessus": "security vulnerability assessment",
    "Qualys": "security vulnerability assessment",
    "Tenable": "security vulnerability assessment",
    "Burp Suite": "security penetration testing",
    "Metasploit": "security penetration testing",
    "Nmap": "network security scanning",
    "Wireshark": "network traffic analysis",
    "Snort": "intrusion detection monitoring",
    "IDS/IPS": "intrusion detection monitoring",
    "Okta": "access and credentials management",
    "CyberArk": "access and credentials management",
    "IAM": "access and credentials management",
    "Microsoft Entra ID": "access and credentials management",
    "OAuth": "access and credentials management",
    "SSO": "access and credentials management",
    "Palo Alto Networks": "firewall and network security",
    "Fortinet": "firewall and network security",
    "Check Point firewall": "firewall and network security",
    "Cisco ASA": "firewall and network security",
    "Zscaler": "firewall and network security",
    "SOC 2": "security policies and compliance",
    "ISO 27001": "security policies and compliance",
    "NIST": "security policies and compliance",
    "PCI DSS": "security policies and compliance",
    "GDPR": "data privacy policies and compliance",
    "MITRE ATT&CK": "cyber attack threat analysis",
    "OWASP": "web application security",
    "Snyk": "software security testing",
    "TLS": "encryption protocols and keys",
    "HashiCorp Vault": "encryption keys and secrets management",
    "Azure Key Vault": "encryption keys and secrets management",
    "BitLocker": "encryption protocols and keys",
    # --- networks and user support (22220, 22221)
    "Cisco": "network equipment configuration and maintenance",
    "Juniper": "network equipment configuration and maintenance",
    "Meraki": "network equipment configuration and maintenance",
    "VLAN": "computer network configuration",
    "VPN": "computer network configuration",
    "DNS": "computer network configuration",
    "DHCP": "computer network configuration",
    "TCP/IP": "computer network configuration",
    "Active Directory": "user accounts and network administration",
    "Group Policy": "user accounts and network administration",
    "Office 365": "office software and e-mail administration",
    "Microsoft Exchange": "office software and e-mail administration",
    "Microsoft Office": "office software user support",
    "Microsoft Teams": "office software user support",
    "Outlook": "office software user support",
    "SharePoint": "intranet sites and document management",
    "Intune": "workstation software deployment and management",
    "SCCM": "workstation software deployment and management",
    "Windows 10": "workstation operating system support",
    "Windows 11": "workstation operating system support",
    "macOS": "workstation operating system support",
    "ServiceNow": "user support and problem tracking",
    "Jira Service Management": "user support and problem tracking",
    "Zendesk": "user support and problem tracking",
    "BMC Remedy": "user support and problem tracking",
    "VMware": "server virtualization administration",
    "vSphere": "server virtualization administration",
    "ESXi": "server virtualization administration",
    "Hyper-V": "server virtualization administration",
    "Citrix": "server virtualization administration",
    "Veeam": "data backups and disaster recovery",
    # --- business systems (21221: "information systems business solutions"; 20012)
    "SAP": "business information systems configuration",
    "SAP S/4HANA": "business information systems configuration",
    "Salesforce": "business information systems configuration",
    "Dynamics 365": "business information systems configuration",
    "Workday": "business information systems configuration",
    "Oracle E-Business Suite": "business information systems configuration",
    "NetSuite": "business information systems configuration",
    "PeopleSoft": "business information systems configuration",
    "Power Automate": "business process automation",
    "Power Apps": "business process automation",
    "UiPath": "business process automation",
    "BPMN": "business process modelling",
    "UML": "software design specifications",
    "Visio": "system and process diagrams",
    "Jira": "project tracking",
    "Trello": "project tracking",
    "Microsoft Project": "project planning and tracking",
    "Confluence": "technical documentation",
    # --- mobile (21231, 21232: "mobile applications")
    "Android": "mobile application development",
    "Android Studio": "mobile application development",
    "iOS": "mobile application development",
    "Xcode": "mobile application development",
    "SwiftUI": "mobile application development",
    "React Native": "mobile application development",
    "Flutter": "mobile application development",
    "Xamarin": "mobile application development",
    # --- content management and e-commerce (21233, 21234)
    "WordPress": "web site content management",
    "Drupal": "web site content management",
    "Sitecore": "web site content management",
    "Adobe Experience Manager": "web site content management",
    "Shopify": "e-commerce web site development",
    "Magento": "e-commerce web site development",
    "WooCommerce": "e-commerce web site development",
    # --- version control
    "Git": "software version control",
    "GitHub": "software version control",
    "GitLab": "software version control",
    "Bitbucket": "software version control",
    "Subversion": "software version control",
}

#: Other spellings -> canonical name in :data:`TOOL_FUNCTIONS`. A spelling that differs from another
#: only in case is listed only when one of the two is in :data:`CASE_SENSITIVE`.
TOOL_ALIASES: dict[str, str] = {
    # languages
    "Golang": "Go", "Rustlang": "Rust", "CSharp": "C#", "JS": "JavaScript", "ECMAScript": "JavaScript",
    "ES6": "JavaScript", "Vanilla JS": "JavaScript", "Visual Basic .NET": "VB.NET", "Objective C": "Objective-C",
    "Assembly code": "Assembly language", "Shell scripting": "Bash", "Bash scripting": "Bash",
    "SAS Enterprise Guide": "SAS",
    # web front end
    "HTML5": "HTML", "CSS3": "CSS", "SCSS": "Sass", "SASS": "Sass", "Tailwind": "Tailwind CSS",
    "React.js": "React", "ReactJS": "React", "React JS": "React", "Angular.js": "AngularJS", "Vue": "Vue.js",
    "VueJS": "Vue.js", "NextJS": "Next.js", "Redux Toolkit": "Redux",
    "Adobe Photoshop": "Photoshop", "Adobe Dreamweaver": "Dreamweaver",
    # back end and interfaces
    "Spring Framework": "Spring", "Java EE": "Jakarta EE", "J2EE": "Jakarta EE", "Node": "Node.js",
    "NodeJS": "Node.js", "Node JS": "Node.js", "Express.js": "Express", "ExpressJS": "Express",
    "Nest.js": "NestJS", ".NET Core": ".NET", ".NET Framework": ".NET", "dotnet": ".NET",
    "ASP.NET Core": "ASP.NET", "ASP.NET MVC": "ASP.NET", "ASP.NET Web API": "ASP.NET", "Rails": "Ruby on Rails",
    "RESTful": "REST", "REST API": "REST", "REST APIs": "REST", "RESTful APIs": "REST", "Swagger": "OpenAPI",
    "Spring Data JPA": "JPA", "Entity Framework Core": "Entity Framework", "EF Core": "Entity Framework",
    "Apache Kafka": "Kafka", "Kafka Streams": "Kafka", "Kafka Connect": "Kafka", "SQS": "Amazon SQS",
    "SNS": "Amazon SNS", "Apache Tomcat": "Tomcat", "Apache httpd": "Apache HTTP Server",
    # testing
    "Py.test": "pytest", "Selenium WebDriver": "Selenium", "Cypress.io": "Cypress", "QTP": "UFT",
    "Apache JMeter": "JMeter",
    # deployment, CI/CD and operations
    "Docker Compose": "Docker", "Dockerfile": "Docker", "Dockerized": "Docker", "Dockerised": "Docker",
    "k8s": "Kubernetes", "Helm charts": "Helm", "ArgoCD": "Argo CD", "ECS": "Amazon ECS", "EKS": "Amazon EKS",
    "AWS CloudFormation": "CloudFormation", "Progress Chef": "Chef Infra", "CICD": "CI/CD",
    "Jenkins pipeline": "Jenkins", "Jenkins pipelines": "Jenkins", "Jenkinsfile": "Jenkins",
    "GH Actions": "GitHub Actions", "GitLab CI/CD": "GitLab CI", "Azure Pipelines": "Azure DevOps",
    "TFS": "Azure DevOps", "VSTS": "Azure DevOps", "CloudWatch": "Amazon CloudWatch", "ELK stack": "ELK",
    "RHEL": "Red Hat Enterprise Linux", "Red Hat Linux": "Red Hat Enterprise Linux",
    # cloud
    "Amazon Web Services": "AWS", "Microsoft Azure": "Azure", "Google Cloud": "GCP",
    "Google Cloud Platform": "GCP", "OCI": "Oracle Cloud", "EC2": "Amazon EC2", "S3": "Amazon S3",
    "Lambda": "AWS Lambda", "RDS": "Amazon RDS",
    # data science and machine learning
    "sklearn": "scikit-learn", "scikit learn": "scikit-learn", "Jupyter Notebook": "Jupyter",
    "Jupyter notebooks": "Jupyter", "JupyterLab": "Jupyter", "HuggingFace": "Hugging Face",
    "Hugging Face Transformers": "Hugging Face", "Amazon SageMaker": "SageMaker", "PowerBI": "Power BI",
    "Microsoft Power BI": "Power BI", "QlikView": "Qlik", "Qlik Sense": "Qlik", "Looker Studio": "Looker",
    "Microsoft Excel": "Excel", "MS Excel": "Excel", "Apache Spark": "Spark", "Spark SQL": "Spark",
    "Spark Streaming": "Spark", "Apache Hadoop": "Hadoop", "MapReduce": "Hadoop", "Apache Hive": "Hive",
    "Azure Databricks": "Databricks", "Flink": "Apache Flink", "Apache Airflow": "Airflow", "dbt Cloud": "dbt",
    "Informatica PowerCenter": "Informatica", "ADF": "Azure Data Factory", "Glue": "AWS Glue",
    "Amazon Redshift": "Redshift", "Google BigQuery": "BigQuery", "Synapse Analytics": "Azure Synapse",
    # databases
    "Postgres": "PostgreSQL", "Oracle Database": "Oracle", "Oracle DB": "Oracle",
    "Microsoft SQL Server": "SQL Server", "MS SQL Server": "SQL Server", "MSSQL": "SQL Server",
    "MS SQL": "SQL Server", "IBM Db2": "Db2", "Mongo": "MongoDB", "Apache Cassandra": "Cassandra",
    "Amazon DynamoDB": "DynamoDB", "Azure Cosmos DB": "Cosmos DB", "CosmosDB": "Cosmos DB",
    "Elastic Search": "Elasticsearch", "PLSQL": "PL/SQL", "TSQL": "T-SQL", "Transact-SQL": "T-SQL",
    # security
    "Splunk ES": "Splunk Enterprise Security", "IBM QRadar": "QRadar", "Azure Sentinel": "Microsoft Sentinel",
    "CrowdStrike Falcon": "CrowdStrike", "VMware Carbon Black": "Carbon Black",
    "Defender for Endpoint": "Microsoft Defender", "Tenable.io": "Tenable", "Tenable.sc": "Tenable",
    "Burp": "Burp Suite", "IDS": "IDS/IPS", "IPS": "IDS/IPS", "Identity and Access Management": "IAM",
    "AWS IAM": "IAM", "Azure AD": "Microsoft Entra ID", "Azure Active Directory": "Microsoft Entra ID",
    "Entra ID": "Microsoft Entra ID", "OAuth2": "OAuth", "OpenID Connect": "OAuth", "Single sign-on": "SSO",
    "Palo Alto firewall": "Palo Alto Networks", "Palo Alto firewalls": "Palo Alto Networks",
    "PAN-OS": "Palo Alto Networks", "FortiGate": "Fortinet", "Check Point firewalls": "Check Point firewall",
    "Checkpoint firewall": "Check Point firewall", "Checkpoint firewalls": "Check Point firewall",
    "SOC2": "SOC 2", "ISO/IEC 27001": "ISO 27001", "ISO27001": "ISO 27001", "NIST CSF": "NIST",
    "NIST 800-53": "NIST", "PCI-DSS": "PCI DSS", "MITRE ATTACK": "MITRE ATT&CK", "OWASP Top 10": "OWASP",
    "SSL/TLS": "TLS", "SSL": "TLS", "Vault": "HashiCorp Vault", "Key Vault": "Azure Key Vault",
    # networks and user support
    "Cisco IOS": "Cisco", "Cisco Meraki": "Meraki", "Juniper Networks": "Juniper", "VLANs": "VLAN",
    "VPNs": "VPN", "GPO": "Group Policy", "Group Policies": "Group Policy", "Microsoft 365": "Office 365",
    "M365": "Office 365", "O365": "Office 365", "Exchange Online": "Microsoft Exchange",
    "Exchange Server": "Microsoft Exchange", "MS Office": "Microsoft Office", "Microsoft Word": "Microsoft Office",
    "MS Word": "Microsoft Office", "MS Access": "Microsoft Access", "MS Teams": "Microsoft Teams",
    "MS Outlook": "Outlook", "Microsoft Outlook": "Outlook", "Microsoft Intune": "Intune", "MECM": "SCCM",
    "ConfigMgr": "SCCM", "Jira Service Desk": "Jira Service Management", "JSM": "Jira Service Management",
    "Remedy": "BMC Remedy", "VMware vSphere": "vSphere", "VMware ESXi": "ESXi", "HyperV": "Hyper-V",
    "Citrix XenApp": "Citrix",
    # business systems
    "SAP ERP": "SAP", "S/4HANA": "SAP S/4HANA", "SAP HANA": "SAP S/4HANA", "Salesforce CRM": "Salesforce",
    "Microsoft Dynamics": "Dynamics 365", "Dynamics CRM": "Dynamics 365", "Oracle EBS": "Oracle E-Business Suite",
    "PowerApps": "Power Apps", "Microsoft Power Automate": "Power Automate", "MS Visio": "Visio",
    "Microsoft Visio": "Visio", "Atlassian Jira": "Jira", "MS Project": "Microsoft Project",
    # content management, version control
    "AEM": "Adobe Experience Manager", "Adobe Commerce": "Magento", "SVN": "Subversion",
}

#: Spellings matched only as written here: they are also English words, people's or places' names
#: or short abbreviations ("react", "go", "rest", "Ruby", "excel"), so another capitalisation is not the tool.
CASE_SENSITIVE: frozenset[str] = frozenset({
    # languages
    "C", "R", "Go", "Rust", "Ruby", "Swift", "Dart", "SAS", "Bash", "JS", "ES6",
    # web
    "React", "Angular", "Svelte", "AJAX", "Sass", "SASS", "Bootstrap", "Tailwind", "Sketch", "Spring", "Express",
    "Flask", "Node", "Rails", "REST", "RESTful", "SOAP", "Swagger", "Hibernate", "Maven", "JSP", "JPA", "SNS",
    "SQS",
    # testing
    "Jest", "Mocha", "Jasmine", "Cucumber", "Selenium", "Cypress", "Playwright", "Puppeteer", "Postman", "UFT",
    "QTP",
    # operations and cloud
    "Helm", "Puppet", "Bamboo", "Prometheus", "ELK", "Unix", "TFS", "Azure", "Lambda", "Glue", "ECS", "EKS",
    "EC2", "S3", "RDS", "OCI",
    # data
    "Spark", "Hive", "HDFS", "Airflow", "dbt", "ADF", "Snowflake", "Redshift", "Looker", "Tableau", "Excel",
    "Oracle", "Cassandra", "SSIS", "SSRS",
    # security, networks, user support, business systems
    "Snort", "Burp", "Tenable", "Vault", "SSO", "SSL", "TLS", "IAM", "IDS", "IPS", "NIST", "Juniper", "DNS",
    "GPO", "Outlook", "M365", "O365", "MECM", "SCCM", "JSM", "Remedy", "SAP", "Workday", "Confluence",
    # mobile
    "Flutter",
})

#: Extra conditions for spellings that are also ordinary words, names or letters. Each is a regex
#: placed right after the name, where ``{name}`` stands for the name itself so that a lookbehind
#: can test what precedes it. All lookbehinds are fixed-width and lookaheads read at most one word.
_GUARDS: dict[str, str] = {
    # not opening a sentence, line or bullet, where the English verb is ("Go to site", "Express concern")
    "not_initial": r"(?:(?<=[\w,;:)&'\"’”][ \t]{name})|(?<=[(/,;:&]{name})|(?<=e\.g\.[ \t]{name})"
                   r"|(?<=i\.e\.[ \t]{name}))",
    # the verb followed by "to" or an adverb ("React to incidents", "React quickly")
    "not_verb": r"(?![ \t]+(?:to\b|\w+ly\b))",
    # not the first word of a proper name ("Express Entry", "Ruby Chen", "Swift Current")
    "not_before_name": r"(?![ \t]+[A-Z][a-z])",
    # not a person ("Ms. Ruby", "Ruby's", "Jenkins' ")
    "not_person": r"(?<!Mr\. {name})(?<!Ms\. {name})(?<!Mrs\. {name})(?<!Dr\. {name})(?<!Miss {name})"
                  r"(?!['’](?:s\b|\s))",
    # a single capital letter: not R&D, (R), list markers "C)", A/C, initials "R. Smith", 25 °C
    "letter": r"(?<![&'’°(/]{name})(?<!\d {name})(?![&'’)]|\.[ \t]*[A-Z])",
    # C as a language: after in/embedded/using/with/ANSI, or before a list separator, "/C++" or "programming"
    "c_language": r"(?:(?<=\b[Ii]n {name})|(?<=\b[Ee]mbedded {name})|(?<=\b[Uu]sing {name})"
                  r"|(?<=\b[Ww]ith {name})|(?<=\bANSI {name})"
                  r"|(?=[ \t]*(?:/[ \t]*C\+\+|[,;]|programming\b|language\b|code\b|firmware\b)))",
    # the season ("Spring 2021", "Spring term"), "Go live", Java "Lambda expressions", "SAS drives", vitamin C
    "not_season": r"(?![ \t]+(?:\d|semester|term|session|season|break|of\b))",
    "not_live": r"(?![ \t]+[Ll]ive\b)",
    "not_expression": r"(?![ \t]+expressions?\b)",
    "not_disk": r"(?![ \t]+(?:drives?|disks?|controllers?|HDDs?|SSDs?)\b)",
    "not_vitamin": r"(?<![Vv]itamin {name})",
}

#: Which guards apply to which spellings.
GUARDED: dict[str, tuple[str, ...]] = {
    "Go": ("not_initial", "not_live"), "React": ("not_verb",), "Spring": ("not_initial", "not_season"),
    "Express": ("not_initial", "not_before_name"), "Spark": ("not_initial", "not_before_name"),
    "R": ("letter",), "C": ("letter", "c_language", "not_vitamin"), "Lambda": ("not_expression",),
    "SAS": ("not_disk",),
    "Ruby": ("not_person", "not_before_name"), "Swift": ("not_person", "not_before_name"),
    "Jenkins": ("not_person", "not_before_name"), "Cassandra": ("not_person", "not_before_name"),
    "Jasmine": ("not_person", "not_before_name"), "Juniper": ("not_before_name",),
    "Cypress": ("not_before_name",),
    **dict.fromkeys(["Rust", "Bootstrap", "Sketch", "Airflow", "Hive", "Glue", "Hibernate", "Mocha", "Cucumber",
                     "Rails", "Bamboo", "Vault", "Remedy", "Outlook", "Workday", "Snowflake", "Flutter"],
                    ("not_initial",)),
}

# Left and right edges of a name. A name is not the tail of a longer token ("Gopher", "ASP.NET" for
# ".NET", "MySQL" for "SQL") nor the head of one ("Go-live", "C++" for "C", "Reactive"); sentence
# punctuation after it is fine ("Node.js,", "C#."), a dot followed by a letter is not ("ASP" in "ASP.NET"),
# and a hyphen only before the few words that make a tool an adjective ("Java-based", "AWS-hosted").
_BEFORE = r"(?<![\w.+#-])"
_AFTER = r"(?![\w+#]|\.\w|-(?!(?:based|driven|hosted|powered|native|centric|specific|enabled)\b))"


def _spelling_rest(name: str) -> str:
    """The regex for ``name`` after its first character (which its group matches), with its guards.

    Words are separated by any run of whitespace. A case-insensitive spelling is one ``(?i:…)`` group
    (the group's ``[xX]`` matched its first letter); a case-sensitive one first checks, by a one-character
    lookbehind, that its first letter had the written case.
    """
    sensitive = name in CASE_SENSITIVE
    rest = r"\s+".join(map(re.escape, name.split()))[len(re.escape(name[0])):]
    if not sensitive:
        rest = f"(?i:{rest})" if rest else ""
    elif name[0].lower() != name[0].upper():
        rest = f"(?<={re.escape(name[0])})" + rest
    whole = re.escape(name) if sensitive else f"(?i:{re.escape(name)})"
    return rest + "".join(_GUARDS[g].replace("{name}", whole) for g in GUARDED.get(name, ()))


def _build_pattern() -> re.Pattern[str]:
    """One alternation of all spellings, grouped by first character (either case).

    Every group starts with a character class of its first letter's two cases, which Python's regex
    engine tests before entering the branch, so each text position costs one lookbehind and a few
    character tests; inside a group the longest spelling comes first ("Spring Boot" before "Spring").
    Case-insensitive spellings are ``(?i:…)`` groups rather than a ``[xX]`` class per letter: the same
    matches, compiled in 12 ms instead of 41 at every start-up, for a search about 1.5 times slower
    (0.09 s per MB of text: a tenth of a millisecond for a letter).
    """
    groups: dict[str, list[str]] = {}
    for name in {*TOOL_FUNCTIONS, *TOOL_ALIASES}:
        groups.setdefault(name[0].lower(), []).append(name)
    branches = []
    for first in sorted(groups):
        names = sorted(groups[first], key=lambda n: (-len(n), n))
        head = f"[{first}{first.upper()}]" if first != first.upper() else re.escape(first)
        branches.append(head + "(?:" + "|".join(map(_spelling_rest, names)) + ")")
    return re.compile(_BEFORE + "(?:" + "|".join(branches) + ")" + _AFTER)


def _norm(name: str) -> str:
    return " ".join(name.split())


# Spelling -> canonical name; case-insensitive spellings keyed by their case-folded form.
_EXACT: dict[str, str] = {}
_FOLDED: dict[str, str] = {}
for _name, _canonical_name in [*((n, n) for n in TOOL_FUNCTIONS), *TOOL_ALIASES.items()]:
    if _name in CASE_SENSITIVE:
        _EXACT[_norm(_name)] = _canonical_name
    else:
        _FOLDED[_norm(_name).casefold()] = _canonical_name

#: The compiled alternation of every spelling in :data:`TOOL_FUNCTIONS` and :data:`TOOL_ALIASES`.
TOOL_PATTERN = _build_pattern()


def _canonical(matched: str) -> str:
    key = _norm(matched)
    return _EXACT.get(key) or _FOLDED[key.casefold()]


def find_tools(text: str) -> list[str]:
    """Canonical names of the tools ``text`` names, in order of first occurrence, each once."""
    found: dict[str, None] = {}
    for match in TOOL_PATTERN.finditer(text):
        found.setdefault(_canonical(match.group()))
    return list(found)


def describe_tools(text: str) -> str:
    """``text`` with the work its tools are for appended in brackets; unchanged when it names none.

    >>> describe_tools("Write unit tests with JUnit and Mockito")
    'Write unit tests with JUnit and Mockito (software testing)'
    """
    phrases = dict.fromkeys(TOOL_FUNCTIONS[name] for name in find_tools(text))
    return f"{text} ({'; '.join(phrases)})" if phrases else text
