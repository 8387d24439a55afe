from django.core.management.base import BaseCommand

from proposals.demo.data import load_demo


class Command(BaseCommand):
    help = "Load the demo data (吉林省政协, proposal 135 with its real reply, one account per role). Idempotent."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data loaded. 演示账号 / demo accounts:"))
        for username, password, role in accounts:
            self.stdout.write(f"  {role:<12} {username:<12} {password}")
